//! One deployment of a tick (AP §7.1 step 5): registry auth, then apply or
//! status check, then exactly one status post (none for a null docker type).

use std::path::PathBuf;

use distr_domain::agent::{
    APPLY_PROGRESS_MESSAGE, DeploymentStep, DockerRecord, classify_compose, classify_swarm,
    record_after_apply,
};
use distr_domain::deployment::{DockerType, StatusType};
use distr_domain::protocol::AgentDeployment;

use super::DockerReconciler;

impl DockerReconciler {
    pub(super) async fn run_step(&self, deployment: &AgentDeployment, step: &DeploymentStep) {
        let docker_config = match self.registry_auth(deployment).await {
            Ok(dir) => dir,
            Err(err) => {
                tracing::warn!(deployment.id = %deployment.id, error = %err, "registry auth failed");
                self.post(deployment.revision_id, StatusType::Error, &err)
                    .await;
                return;
            }
        };
        let (status, message) = match step {
            DeploymentStep::SkipNoDockerType { .. } => {
                tracing::warn!(deployment.id = %deployment.id, "deployment has no docker type; skipping");
                return;
            }
            DeploymentStep::Apply { .. } => self
                .apply(deployment, docker_config)
                .await
                .unwrap_or_else(|err| (StatusType::Error, err)),
            DeploymentStep::Check { record, .. } => self.check(record).await,
        };
        self.post(deployment.revision_id, status, &message).await;
    }

    async fn registry_auth(&self, deployment: &AgentDeployment) -> Result<Option<PathBuf>, String> {
        let token = if self.registry_configured {
            Some(self.adapters.hub.token().await.map_err(|e| e.to_string())?)
        } else {
            None
        };
        self.adapters
            .registry
            .prepare(deployment, token.as_deref())
            .await
            .map_err(|e| e.to_string())
    }

    /// AP §7.4: apply under progress reports, write the state, restart if
    /// asked; the CLI output is reported as `progressing`.
    async fn apply(
        &self,
        deployment: &AgentDeployment,
        docker_config: Option<PathBuf>,
    ) -> Result<(StatusType, String), String> {
        let record = record_after_apply(deployment).map_err(|e| e.to_string())?;
        tracing::info!(
            deployment.id = %deployment.id,
            revision.id = %deployment.revision_id,
            project = %record.project_name,
            "applying"
        );
        let output = self
            .progress
            .while_running(
                deployment.revision_id,
                APPLY_PROGRESS_MESSAGE,
                self.adapters
                    .runtime
                    .apply(deployment, docker_config.as_deref()),
            )
            .await
            .map_err(|e| e.to_string())?;
        self.adapters
            .state
            .put(&record)
            .await
            .map_err(|e| e.to_string())?;
        if deployment.force_restart {
            self.adapters
                .runtime
                .force_restart(&record, docker_config.as_deref())
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok((StatusType::Progressing, output))
    }

    /// AP §7.5; a failing check is itself an `error` result.
    async fn check(&self, record: &DockerRecord) -> (StatusType, String) {
        let engine = &self.adapters.engine;
        let result = match record.docker_type {
            DockerType::Compose => engine
                .project_containers(&record.project_name)
                .await
                .map(|containers| classify_compose(&containers)),
            DockerType::Swarm => engine
                .stack_services(&record.project_name)
                .await
                .map(|services| classify_swarm(&services)),
        };
        result.unwrap_or_else(|err| (StatusType::Error, err.to_string()))
    }
}
