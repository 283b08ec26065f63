//! One tick of the helm agent (AP §8.2): executes the Helm plan through the
//! ports and reports every result to the Hub.

mod deployment;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use distr_agent_core::{AgentTimings, MetricsTask, ProgressReporter};
use distr_domain::agent::{HelmPlanInput, HelmRecord, needs_self_update, plan_helm};
use distr_domain::deployment::StatusType;
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_domain::protocol::AgentResource;

use crate::HelmAdapters;

/// How a tick ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickOutcome {
    /// The self-update ran (successfully or not); the tick did nothing else.
    SelfUpdated,
    /// The state Secrets could not be listed; nothing was changed.
    StateUnavailable,
    /// Orphans and deployments were handled.
    Reconciled,
}

/// Executes the Helm plan. Every step is safe to repeat: a failed step is
/// reported and retried by a later tick, except an upgrade that Helm rolled
/// back, which waits for a new revision (see `distr_domain::agent::helm_action`).
#[derive(Debug)]
pub struct HelmReconciler {
    adapters: HelmAdapters,
    own_version_id: String,
    registry_host: String,
    progress: ProgressReporter,
    metrics: Mutex<MetricsTask>,
    /// The namespace of the latest desired state, shared with the log source.
    namespace: Arc<Mutex<Option<String>>>,
    /// Per deployment, the revision whose upgrade failed and was rolled back.
    failed_upgrades: Mutex<HashMap<DeploymentId, RevisionId>>,
}

impl HelmReconciler {
    /// `own_version_id` is `DISTR_AGENT_VERSION_ID` (`""` disables
    /// self-update); `registry_host` is `DISTR_REGISTRY_HOST` (`""` means no
    /// Distr-registry credentials, AP §11f).
    #[must_use]
    pub fn new(
        adapters: HelmAdapters,
        own_version_id: &str,
        registry_host: &str,
        timings: AgentTimings,
    ) -> Self {
        let progress = ProgressReporter::new(Arc::clone(&adapters.hub), timings.interval);
        let metrics = MetricsTask::new(
            Arc::clone(&adapters.hub),
            Arc::clone(&adapters.metrics),
            timings.metrics_period,
        );
        Self {
            own_version_id: own_version_id.to_owned(),
            registry_host: registry_host.trim().to_owned(),
            progress,
            metrics: Mutex::new(metrics),
            namespace: Arc::new(Mutex::new(None)),
            failed_upgrades: Mutex::new(HashMap::new()),
            adapters,
        }
    }

    /// The namespace the log collector follows.
    #[must_use]
    pub fn namespace_handle(&self) -> Arc<Mutex<Option<String>>> {
        Arc::clone(&self.namespace)
    }

    /// Whether the metrics task runs.
    #[must_use]
    pub fn metrics_running(&self) -> bool {
        self.metrics
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_running()
    }

    /// One tick on a well-formed desired state (only a successful fetch
    /// produces one, so nothing here runs after a failed fetch, AP §11h).
    pub async fn tick(&self, desired: &AgentResource) -> TickOutcome {
        if needs_self_update(&self.own_version_id, desired) {
            self.self_update(desired).await;
            return TickOutcome::SelfUpdated;
        }
        let namespace = desired.namespace.clone().unwrap_or_default();
        self.metrics
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .set_enabled(desired.metrics_enabled);
        *self
            .namespace
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(namespace.clone());
        let records = match self.adapters.state.list(&namespace).await {
            Ok(records) => records,
            Err(err) => {
                tracing::warn!(namespace, error = %err, "cannot list the state Secrets; nothing changed");
                return TickOutcome::StateUnavailable;
            }
        };
        let plan = plan_helm(&HelmPlanInput {
            desired,
            records: &records,
            own_version_id: &self.own_version_id,
        });
        for record in &plan.uninstall {
            self.remove_orphan(&plan.namespace, record).await;
        }
        for target in &plan.targets {
            let Some(deployment) = desired.deployments.get(target.index) else {
                continue;
            };
            self.reconcile(&plan.namespace, deployment, target.record.as_ref())
                .await;
        }
        TickOutcome::Reconciled
    }

    /// AP §8.9: apply the Hub's manifest; a failure is only logged.
    async fn self_update(&self, desired: &AgentResource) {
        tracing::info!(
            agent_version.id = %desired.version.id,
            agent_version.name = %desired.version.name,
            "agent version changed; updating"
        );
        let namespace = desired.namespace.clone().unwrap_or_default();
        let result = match self.adapters.hub.manifest().await {
            Ok(manifest) => self
                .adapters
                .applier
                .apply(&namespace, &manifest)
                .await
                .map_err(|e| e.to_string()),
            Err(err) => Err(err.to_string()),
        };
        match result {
            Ok(()) => tracing::info!("self-update applied; waiting for the new agent"),
            Err(err) => tracing::error!(error = %err, "self-update failed; retrying next tick"),
        }
    }

    /// AP §8.2 step 5: uninstall, then delete the record; errors are
    /// warnings and a failed uninstall keeps the record for the next tick.
    async fn remove_orphan(&self, namespace: &str, record: &HelmRecord) {
        tracing::info!(deployment.id = %record.id, release = %record.release_name, "uninstalling");
        if let Err(err) = self
            .adapters
            .helm
            .uninstall(namespace, &record.release_name)
            .await
        {
            tracing::warn!(release = %record.release_name, error = %err, "uninstall failed; retrying next tick");
            return;
        }
        if let Err(err) = self
            .adapters
            .state
            .delete(namespace, &record.release_name)
            .await
        {
            tracing::warn!(release = %record.release_name, error = %err, "cannot delete the state Secret");
        }
        self.failed_upgrades
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&record.id);
    }

    /// Posts a status; a failed post is only logged.
    async fn post(&self, revision: RevisionId, status: StatusType, message: &str) {
        if let Err(err) = self
            .adapters
            .hub
            .post_status(revision, status, message)
            .await
        {
            tracing::warn!(revision.id = %revision, error = %err, "cannot post status");
        }
    }
}

#[cfg(test)]
mod tests;
