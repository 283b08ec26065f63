//! [`FakeHelm`]: the `HelmRuntime` port over an in-memory set of releases
//! that behaves like Helm 3 with `atomic`: a failed install leaves no
//! release, a failed upgrade is rolled back (two new revisions: the failed
//! one and the rollback), and uninstalling an absent release succeeds.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use distr_domain::agent::HelmChart;
use distr_ports::agent::{HelmError, HelmRequest, HelmRuntime};
use serde_json::Value;

use super::lock;

/// One release as the fake cluster holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeRelease {
    /// The latest revision.
    pub revision: i64,
    /// The chart of the latest successful operation.
    pub chart: HelmChart,
    /// The values of the latest successful operation.
    pub values: Value,
    /// Registry credentials the latest operation was given.
    pub registry_config: Option<Vec<u8>>,
}

/// A release-changing call, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelmCall {
    /// `install` of (namespace, release).
    Install(String, String),
    /// `upgrade` of (namespace, release).
    Upgrade(String, String),
    /// `uninstall` of (namespace, release).
    Uninstall(String, String),
}

#[derive(Debug, Default)]
struct HelmState {
    releases: BTreeMap<(String, String), FakeRelease>,
    calls: Vec<HelmCall>,
    install_failures: HashMap<String, String>,
    upgrade_failures: HashMap<String, String>,
    lookup_failure: Option<String>,
    manifest_failure: Option<String>,
    uninstall_failure: Option<String>,
    delay: Duration,
}

/// The fake Helm. Clones share state.
#[derive(Debug, Clone, Default)]
pub struct FakeHelm {
    state: Arc<Mutex<HelmState>>,
}

impl FakeHelm {
    /// No releases; every operation succeeds at once.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Every install and upgrade takes `delay` (tokio time) before it ends.
    pub fn set_delay(&self, delay: Duration) {
        lock(&self.state).delay = delay;
    }

    /// Installs of `release` fail with `message` (until cleared with `None`).
    pub fn fail_install(&self, release: &str, message: Option<&str>) {
        set_failure(&mut lock(&self.state).install_failures, release, message);
    }

    /// Upgrades of `release` fail with `message` and are rolled back.
    pub fn fail_upgrade(&self, release: &str, message: Option<&str>) {
        set_failure(&mut lock(&self.state).upgrade_failures, release, message);
    }

    /// Makes `latest_revision` fail with `message`.
    pub fn fail_lookup(&self, message: Option<&str>) {
        lock(&self.state).lookup_failure = message.map(str::to_owned);
    }

    /// Makes `manifest` fail with `message`.
    pub fn fail_manifest(&self, message: Option<&str>) {
        lock(&self.state).manifest_failure = message.map(str::to_owned);
    }

    /// Makes `uninstall` fail with `message`.
    pub fn fail_uninstall(&self, message: Option<&str>) {
        lock(&self.state).uninstall_failure = message.map(str::to_owned);
    }

    /// A release created outside the agent (or changed by someone else):
    /// sets its latest revision.
    pub fn put_release(&self, namespace: &str, release: &str, revision: i64) {
        let mut state = lock(&self.state);
        let key = (namespace.to_owned(), release.to_owned());
        let entry = state.releases.entry(key).or_insert_with(|| FakeRelease {
            revision,
            chart: HelmChart::Oci {
                reference: "oci://elsewhere/chart".to_owned(),
                version: "0".to_owned(),
            },
            values: Value::Null,
            registry_config: None,
        });
        entry.revision = revision;
    }

    /// The release, if installed.
    #[must_use]
    pub fn release(&self, namespace: &str, release: &str) -> Option<FakeRelease> {
        lock(&self.state)
            .releases
            .get(&(namespace.to_owned(), release.to_owned()))
            .cloned()
    }

    /// The names of the installed releases of `namespace`.
    #[must_use]
    pub fn release_names(&self, namespace: &str) -> Vec<String> {
        lock(&self.state)
            .releases
            .keys()
            .filter(|(ns, _)| ns == namespace)
            .map(|(_, name)| name.clone())
            .collect()
    }

    /// Every release-changing call so far.
    #[must_use]
    pub fn calls(&self) -> Vec<HelmCall> {
        lock(&self.state).calls.clone()
    }

    /// The manifest every release renders to: a Deployment and a Service
    /// named after the release.
    #[must_use]
    pub fn manifest_of(release: &str) -> String {
        format!(
            "---\n# Source: web/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {release}\n---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: {release}\n"
        )
    }

    async fn delay(&self) {
        let delay = lock(&self.state).delay;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }
}

fn set_failure(map: &mut HashMap<String, String>, release: &str, message: Option<&str>) {
    match message {
        Some(message) => {
            map.insert(release.to_owned(), message.to_owned());
        }
        None => {
            map.remove(release);
        }
    }
}

fn key(namespace: &str, release: &str) -> (String, String) {
    (namespace.to_owned(), release.to_owned())
}

#[async_trait]
impl HelmRuntime for FakeHelm {
    async fn install(&self, request: &HelmRequest<'_>) -> Result<i64, HelmError> {
        self.delay().await;
        let mut state = lock(&self.state);
        state.calls.push(HelmCall::Install(
            request.namespace.to_owned(),
            request.release_name.to_owned(),
        ));
        let key = key(request.namespace, request.release_name);
        if state.releases.contains_key(&key) {
            return Err(HelmError(
                "Error: INSTALLATION FAILED: cannot re-use a name that is still in use".to_owned(),
            ));
        }
        if let Some(message) = state.install_failures.get(request.release_name) {
            // atomic: the failed release is removed again.
            return Err(HelmError(format!("Error: INSTALLATION FAILED: {message}")));
        }
        state.releases.insert(
            key,
            FakeRelease {
                revision: 1,
                chart: request.chart.clone(),
                values: request.values.clone(),
                registry_config: request.registry_config.map(<[u8]>::to_vec),
            },
        );
        Ok(1)
    }

    async fn upgrade(&self, request: &HelmRequest<'_>) -> Result<i64, HelmError> {
        self.delay().await;
        let mut state = lock(&self.state);
        state.calls.push(HelmCall::Upgrade(
            request.namespace.to_owned(),
            request.release_name.to_owned(),
        ));
        let failure = state.upgrade_failures.get(request.release_name).cloned();
        let key = key(request.namespace, request.release_name);
        let Some(release) = state.releases.get_mut(&key) else {
            return Err(HelmError(format!(
                "Error: UPGRADE FAILED: \"{}\" has no deployed releases",
                request.release_name
            )));
        };
        if let Some(message) = failure {
            // atomic: the failed revision, then the rollback's.
            release.revision += 2;
            return Err(HelmError(format!(
                "Error: UPGRADE FAILED: release {} failed, and has been rolled back due to atomic being set: {message}",
                request.release_name
            )));
        }
        release.revision += 1;
        release.chart = request.chart.clone();
        release.values = request.values.clone();
        release.registry_config = request.registry_config.map(<[u8]>::to_vec);
        Ok(release.revision)
    }

    async fn uninstall(&self, namespace: &str, release_name: &str) -> Result<(), HelmError> {
        let mut state = lock(&self.state);
        state.calls.push(HelmCall::Uninstall(
            namespace.to_owned(),
            release_name.to_owned(),
        ));
        if let Some(message) = &state.uninstall_failure {
            return Err(HelmError(message.clone()));
        }
        state.releases.remove(&key(namespace, release_name));
        Ok(())
    }

    async fn latest_revision(
        &self,
        namespace: &str,
        release_name: &str,
    ) -> Result<Option<i64>, HelmError> {
        let state = lock(&self.state);
        if let Some(message) = &state.lookup_failure {
            return Err(HelmError(message.clone()));
        }
        Ok(state
            .releases
            .get(&key(namespace, release_name))
            .map(|r| r.revision))
    }

    async fn manifest(&self, namespace: &str, release_name: &str) -> Result<String, HelmError> {
        let state = lock(&self.state);
        if let Some(message) = &state.manifest_failure {
            return Err(HelmError(message.clone()));
        }
        if state.releases.contains_key(&key(namespace, release_name)) {
            Ok(Self::manifest_of(release_name))
        } else {
            Err(HelmError("Error: release: not found".to_owned()))
        }
    }
}
