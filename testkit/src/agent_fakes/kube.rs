//! [`FakeKube`]: every Kubernetes port of the helm agent over one in-memory
//! cluster: state Secrets per namespace, pull Secrets, workload health,
//! restarts, pod logs and the self-update applier. Clones share state.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::agent::{HelmRecord, WorkloadLogLine};
use distr_ports::agent::{
    HelmStateStore, KubeError, ManifestApplier, PullSecrets, WorkloadHealth, WorkloadLogs,
    WorkloadRestarter,
};

use super::lock;

#[derive(Debug, Default)]
struct KubeState {
    /// (namespace, release) → record.
    records: BTreeMap<(String, String), HelmRecord>,
    /// (namespace, release) → `.dockerconfigjson`.
    pull_secrets: BTreeMap<(String, String), Vec<u8>>,
    list_failure: Option<String>,
    pull_secret_failure: Option<String>,
    unhealthy: Option<String>,
    restarts: Vec<(String, String, DateTime<Utc>)>,
    restart_failure: Option<String>,
    log_lines: Vec<WorkloadLogLine>,
    log_requests: Vec<(String, DateTime<Utc>)>,
    applied: Vec<(String, String)>,
    apply_failure: Option<String>,
}

/// The fake cluster.
#[derive(Debug, Clone, Default)]
pub struct FakeKube {
    state: Arc<Mutex<KubeState>>,
}

impl FakeKube {
    /// An empty cluster where everything is healthy.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The records of `namespace`.
    #[must_use]
    pub fn records(&self, namespace: &str) -> Vec<HelmRecord> {
        lock(&self.state)
            .records
            .iter()
            .filter(|((ns, _), _)| ns == namespace)
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// Puts a record directly (one left by an earlier agent).
    pub fn insert_record(&self, namespace: &str, record: HelmRecord) {
        lock(&self.state)
            .records
            .insert((namespace.to_owned(), record.release_name.clone()), record);
    }

    /// Makes listing the state Secrets fail.
    pub fn fail_list(&self, message: Option<&str>) {
        lock(&self.state).list_failure = message.map(str::to_owned);
    }

    /// Makes ensuring pull Secrets fail.
    pub fn fail_pull_secret(&self, message: Option<&str>) {
        lock(&self.state).pull_secret_failure = message.map(str::to_owned);
    }

    /// The `.dockerconfigjson` of a release's pull Secret.
    #[must_use]
    pub fn pull_secret(&self, namespace: &str, release: &str) -> Option<Vec<u8>> {
        lock(&self.state)
            .pull_secrets
            .get(&(namespace.to_owned(), release.to_owned()))
            .cloned()
    }

    /// Makes every health check fail with `message` (an AP §8.5 text).
    pub fn set_unhealthy(&self, message: Option<&str>) {
        lock(&self.state).unhealthy = message.map(str::to_owned);
    }

    /// Every restart: namespace, manifest, time.
    #[must_use]
    pub fn restarts(&self) -> Vec<(String, String, DateTime<Utc>)> {
        lock(&self.state).restarts.clone()
    }

    /// Makes restarts fail with `message`.
    pub fn fail_restart(&self, message: Option<&str>) {
        lock(&self.state).restart_failure = message.map(str::to_owned);
    }

    /// The lines every log collection returns.
    pub fn set_log_lines(&self, lines: Vec<WorkloadLogLine>) {
        lock(&self.state).log_lines = lines;
    }

    /// Every log collection: namespace and `since`.
    #[must_use]
    pub fn log_requests(&self) -> Vec<(String, DateTime<Utc>)> {
        lock(&self.state).log_requests.clone()
    }

    /// Every applied self-update manifest: namespace and text.
    #[must_use]
    pub fn applied(&self) -> Vec<(String, String)> {
        lock(&self.state).applied.clone()
    }

    /// Makes the self-update apply fail.
    pub fn fail_apply(&self, message: Option<&str>) {
        lock(&self.state).apply_failure = message.map(str::to_owned);
    }
}

fn fail(message: Option<&String>) -> Result<(), KubeError> {
    message.map_or(Ok(()), |m| Err(KubeError::Api(m.clone())))
}

#[async_trait]
impl HelmStateStore for FakeKube {
    async fn list(&self, namespace: &str) -> Result<Vec<HelmRecord>, KubeError> {
        fail(lock(&self.state).list_failure.as_ref())?;
        Ok(self.records(namespace))
    }

    async fn put(&self, namespace: &str, record: &HelmRecord) -> Result<(), KubeError> {
        self.insert_record(namespace, record.clone());
        Ok(())
    }

    async fn delete(&self, namespace: &str, release_name: &str) -> Result<(), KubeError> {
        lock(&self.state)
            .records
            .remove(&(namespace.to_owned(), release_name.to_owned()));
        Ok(())
    }
}

#[async_trait]
impl PullSecrets for FakeKube {
    async fn ensure_pull_secret(
        &self,
        namespace: &str,
        release_name: &str,
        docker_config_json: &[u8],
    ) -> Result<(), KubeError> {
        let mut state = lock(&self.state);
        fail(state.pull_secret_failure.as_ref())?;
        state.pull_secrets.insert(
            (namespace.to_owned(), release_name.to_owned()),
            docker_config_json.to_vec(),
        );
        Ok(())
    }
}

#[async_trait]
impl WorkloadHealth for FakeKube {
    /// Counts the manifest's objects (documents with a `kind:` line).
    async fn check(&self, _namespace: &str, manifest: &str) -> Result<usize, KubeError> {
        if let Some(message) = &lock(&self.state).unhealthy {
            return Err(KubeError::Unhealthy(message.clone()));
        }
        Ok(manifest
            .lines()
            .filter(|line| line.starts_with("kind:"))
            .count())
    }
}

#[async_trait]
impl WorkloadRestarter for FakeKube {
    async fn restart(
        &self,
        namespace: &str,
        manifest: &str,
        at: DateTime<Utc>,
    ) -> Result<(), KubeError> {
        let mut state = lock(&self.state);
        if let Some(message) = &state.restart_failure {
            return Err(KubeError::Several(vec![message.clone()]));
        }
        state
            .restarts
            .push((namespace.to_owned(), manifest.to_owned(), at));
        Ok(())
    }
}

#[async_trait]
impl WorkloadLogs for FakeKube {
    async fn logs_since(
        &self,
        namespace: &str,
        _manifest: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, KubeError> {
        let mut state = lock(&self.state);
        state.log_requests.push((namespace.to_owned(), since));
        Ok(state.log_lines.clone())
    }
}

#[async_trait]
impl ManifestApplier for FakeKube {
    async fn apply(&self, namespace: &str, manifest: &str) -> Result<(), KubeError> {
        let mut state = lock(&self.state);
        fail(state.apply_failure.as_ref())?;
        state
            .applied
            .push((namespace.to_owned(), manifest.to_owned()));
        Ok(())
    }
}
