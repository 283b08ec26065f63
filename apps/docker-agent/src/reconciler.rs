//! One tick of the docker agent (AP §7.1): executes `plan_docker` through
//! the ports and reports every result to the Hub.

mod deployment;

use std::sync::{Arc, Mutex, PoisonError};

use distr_agent_core::{AgentTimings, MetricsTask, ProgressReporter};
use distr_domain::agent::{DockerPlanInput, DockerRecord, plan_docker};
use distr_domain::deployment::StatusType;
use distr_domain::ids::{AgentVersionId, RevisionId};
use distr_domain::protocol::AgentResource;

use crate::DockerAdapters;

/// How a tick ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickOutcome {
    /// The self-update helper was started; the tick did nothing else.
    SelfUpdated,
    /// Orphans and deployments were handled.
    Reconciled,
}

/// Executes the docker plan. Every step is safe to repeat: a failed step
/// is reported and retried by a later tick.
#[derive(Debug)]
pub struct DockerReconciler {
    adapters: DockerAdapters,
    own_version_id: String,
    registry_configured: bool,
    progress: ProgressReporter,
    metrics: Mutex<MetricsTask>,
    /// The version a self-update helper was started for, and when. The helper
    /// replaces this container within seconds; starting another one every tick
    /// meanwhile makes several helpers race to recreate `distr-agent-1`.
    update_started: Mutex<Option<(AgentVersionId, tokio::time::Instant)>>,
}

/// How long to wait for a started self-update helper to replace this agent
/// before trying again.
pub const SELF_UPDATE_GRACE: std::time::Duration = std::time::Duration::from_secs(120);

impl DockerReconciler {
    /// `own_version_id` is `DISTR_AGENT_VERSION_ID` (`""` disables
    /// self-update); `registry_host` is `DISTR_REGISTRY_HOST` (`""` means no
    /// Distr-registry login, so no token is fetched for it).
    #[must_use]
    pub fn new(
        adapters: DockerAdapters,
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
            registry_configured: !registry_host.trim().is_empty(),
            progress,
            metrics: Mutex::new(metrics),
            update_started: Mutex::new(None),
            adapters,
        }
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
        let records = match self.adapters.state.list().await {
            Ok(records) => Some(records),
            Err(err) => {
                tracing::warn!(error = %err, "state directory unreadable; skipping orphan removal");
                None
            }
        };
        let plan = plan_docker(&DockerPlanInput {
            desired,
            records: records.as_deref(),
            own_version_id: &self.own_version_id,
        });
        if plan.self_update {
            if self.update_in_progress(desired.version.id) {
                return TickOutcome::SelfUpdated;
            }
            if self.self_update(desired).await {
                *self
                    .update_started
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) =
                    Some((desired.version.id, tokio::time::Instant::now()));
                return TickOutcome::SelfUpdated;
            }
        }
        self.metrics
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .set_enabled(plan.metrics_enabled);
        for record in &plan.uninstall {
            self.remove_orphan(record).await;
        }
        for step in &plan.steps {
            let Some(deployment) = desired.deployments.get(step.index()) else {
                continue;
            };
            self.run_step(deployment, step).await;
        }
        TickOutcome::Reconciled
    }

    /// Whether a helper for `version` was started less than
    /// [`SELF_UPDATE_GRACE`] ago.
    fn update_in_progress(&self, version: AgentVersionId) -> bool {
        self.update_started
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|(started_for, at)| {
                started_for == version && at.elapsed() < SELF_UPDATE_GRACE
            })
    }

    /// AP §7.10; `true` when the helper started.
    async fn self_update(&self, desired: &AgentResource) -> bool {
        tracing::info!(
            agent_version.id = %desired.version.id,
            agent_version.name = %desired.version.name,
            "agent version changed; updating"
        );
        let result = match self.adapters.hub.manifest().await {
            Ok(manifest) => self
                .adapters
                .updater
                .self_update(&manifest)
                .await
                .map_err(|e| e.to_string()),
            Err(err) => Err(err.to_string()),
        };
        match result {
            Ok(()) => {
                tracing::info!("self-update started");
                true
            }
            Err(err) => {
                tracing::error!(error = %err, "self-update failed");
                if let Some(first) = desired.deployments.first() {
                    self.post(first.revision_id, StatusType::Error, &err).await;
                }
                false
            }
        }
    }

    async fn remove_orphan(&self, record: &DockerRecord) {
        tracing::info!(deployment.id = %record.id, project = %record.project_name, "uninstalling");
        if let Err(err) = self.adapters.runtime.uninstall(record).await {
            tracing::warn!(deployment.id = %record.id, error = %err, "uninstall failed; retrying next tick");
            return;
        }
        if let Err(err) = self.adapters.state.delete(record.id).await {
            tracing::warn!(deployment.id = %record.id, error = %err, "cannot delete state file");
        }
    }

    /// Posts a status; a failed post is only logged (AP §7.1 step 5.5).
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
