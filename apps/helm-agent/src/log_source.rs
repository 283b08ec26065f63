//! Workload logs of the helm agent (AP §8.7): the releases whose state
//! record has `logsEnabled`, in the namespace of the latest desired state.

use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_agent_core::{LogSource, LogSubject};
use distr_domain::agent::WorkloadLogLine;
use distr_ports::agent::{HelmRuntime, HelmStateStore, WorkloadLogs};

/// A release to collect from: namespace and release name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseHandle {
    /// The namespace at listing time.
    pub namespace: String,
    /// The release.
    pub release_name: String,
}

/// [`LogSource`] over the state Secrets, the release manifests and pod logs.
#[derive(Debug, Clone)]
pub struct HelmLogSource {
    state: Arc<dyn HelmStateStore>,
    helm: Arc<dyn HelmRuntime>,
    logs: Arc<dyn WorkloadLogs>,
    namespace: Arc<Mutex<Option<String>>>,
}

impl HelmLogSource {
    /// A source following `namespace`, which the reconciler sets on every
    /// tick (`None` until the first desired state arrived).
    #[must_use]
    pub fn new(
        state: Arc<dyn HelmStateStore>,
        helm: Arc<dyn HelmRuntime>,
        logs: Arc<dyn WorkloadLogs>,
        namespace: Arc<Mutex<Option<String>>>,
    ) -> Self {
        Self {
            state,
            helm,
            logs,
            namespace,
        }
    }
}

#[async_trait]
impl LogSource for HelmLogSource {
    type Handle = ReleaseHandle;

    async fn subjects(&self) -> Result<Vec<LogSubject<ReleaseHandle>>, String> {
        let namespace = self
            .namespace
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let Some(namespace) = namespace else {
            return Ok(Vec::new());
        };
        let records = self
            .state
            .list(&namespace)
            .await
            .map_err(|e| e.to_string())?;
        Ok(records
            .into_iter()
            .filter(|record| record.logs_enabled)
            .map(|record| LogSubject {
                deployment_id: record.id,
                revision_id: record.revision_id,
                handle: ReleaseHandle {
                    namespace: namespace.clone(),
                    release_name: record.release_name,
                },
            })
            .collect())
    }

    async fn collect(
        &self,
        handle: &ReleaseHandle,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, String> {
        let manifest = self
            .helm
            .manifest(&handle.namespace, &handle.release_name)
            .await
            .map_err(|e| e.to_string())?;
        self.logs
            .logs_since(&handle.namespace, &manifest, since)
            .await
            .map_err(|e| e.to_string())
    }
}
