//! One deployment of a tick (AP §8.2 step 6): skew guard, registry
//! credentials and pull Secret, then install, upgrade, record update or
//! status check.

use std::sync::PoisonError;

use distr_domain::agent::{
    HELM_PROGRESS_MESSAGE, HelmAction, HelmChart, HelmRecord, INSTALL_SUCCEEDED, ReleaseLookup,
    SkewVerdict, UPGRADE_SUCCEEDED, docker_config_json, force_restart_failed,
    force_restart_succeeded, healthy_message, helm_action, install_error, manifest_error,
    record_after_operation, record_after_rollback, registry_entries, resource_error, skew_guard,
    upgrade_error, with_pull_secret,
};
use distr_domain::deployment::StatusType;
use distr_domain::protocol::AgentDeployment;
use distr_ports::agent::HelmRequest;

use super::HelmReconciler;

impl HelmReconciler {
    pub(super) async fn reconcile(
        &self,
        namespace: &str,
        deployment: &AgentDeployment,
        record: Option<&HelmRecord>,
    ) {
        let lookup = match self
            .adapters
            .helm
            .latest_revision(namespace, &deployment.release_name)
            .await
        {
            Ok(None) => ReleaseLookup::NotFound,
            Ok(Some(revision)) => ReleaseLookup::Found(revision),
            Err(err) => ReleaseLookup::Failed(err.to_string()),
        };
        match skew_guard(deployment, record, &lookup) {
            SkewVerdict::Refuse(message) => {
                tracing::warn!(release = %deployment.release_name, %message, "skipping deployment");
                self.post(deployment.revision_id, StatusType::Error, &message)
                    .await;
                return;
            }
            SkewVerdict::ProceedDespite(message) => {
                tracing::warn!(release = %deployment.release_name, %message, "ignoring revision skew");
            }
            SkewVerdict::Proceed => {}
        }
        let failed = self
            .failed_upgrades
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&deployment.id)
            .copied();
        let action = helm_action(deployment, record, failed);
        let registry_config = self.registry_auth(namespace, deployment).await;
        match action {
            HelmAction::Install => {
                self.install(namespace, deployment, registry_config.as_deref())
                    .await;
            }
            HelmAction::Upgrade { record } => {
                self.upgrade(namespace, deployment, &record, registry_config.as_deref())
                    .await;
            }
            HelmAction::UpdateRecord { record } => {
                if let Err(err) = self.adapters.state.put(namespace, &record).await {
                    tracing::warn!(release = %record.release_name, error = %err, "cannot update the state Secret");
                }
            }
            HelmAction::Check { .. } => self.check(namespace, deployment).await,
            HelmAction::AwaitNewRevision => {
                tracing::debug!(release = %deployment.release_name, "upgrade was rolled back; waiting for a new revision");
            }
        }
    }

    /// AP §8.2 step 6.2: the deployment's credentials (license registries,
    /// and the Distr registry with the current JWT) as Docker `config.json`
    /// bytes, applied as the release's pull Secret. Failures are posted and
    /// processing continues.
    async fn registry_auth(
        &self,
        namespace: &str,
        deployment: &AgentDeployment,
    ) -> Option<Vec<u8>> {
        let token = if self.registry_host.is_empty() {
            None
        } else {
            match self.adapters.hub.token().await {
                Ok(token) => Some(token),
                Err(err) => {
                    self.post_auth_error(
                        deployment,
                        &format!("failed to ensure docker auth: {err}"),
                    )
                    .await;
                    return None;
                }
            }
        };
        let Some(entries) = registry_entries(deployment, &self.registry_host, token.as_deref())
        else {
            self.post_auth_error(deployment, "failed to ensure docker auth: no agent token")
                .await;
            return None;
        };
        let config = docker_config_json(&entries);
        if let Err(err) = self
            .adapters
            .pull_secrets
            .ensure_pull_secret(namespace, &deployment.release_name, &config)
            .await
        {
            self.post_auth_error(
                deployment,
                &format!("failed to ensure image pull secret: {err}"),
            )
            .await;
        }
        Some(config)
    }

    async fn post_auth_error(&self, deployment: &AgentDeployment, message: &str) {
        tracing::warn!(release = %deployment.release_name, %message, "registry credentials");
        self.post(deployment.revision_id, StatusType::Error, message)
            .await;
    }

    /// AP §8.2 step 6.3.
    async fn install(
        &self,
        namespace: &str,
        deployment: &AgentDeployment,
        registry: Option<&[u8]>,
    ) {
        let values = with_pull_secret(deployment.values.as_ref(), &deployment.release_name);
        let chart = HelmChart::of(deployment);
        let request = request(namespace, deployment, &chart, &values, registry);
        tracing::info!(release = %deployment.release_name, revision.id = %deployment.revision_id, "helm install");
        let result = self
            .progress
            .while_running(
                deployment.revision_id,
                HELM_PROGRESS_MESSAGE,
                self.adapters.helm.install(&request),
            )
            .await;
        let (status, message) = match result {
            Ok(helm_revision) => {
                match self
                    .write_record(
                        namespace,
                        &record_after_operation(deployment, helm_revision),
                    )
                    .await
                {
                    Ok(()) => (StatusType::Running, INSTALL_SUCCEEDED.to_owned()),
                    Err(err) => (StatusType::Error, install_error(&err)),
                }
            }
            Err(err) => (StatusType::Error, install_error(&err.to_string())),
        };
        self.post(deployment.revision_id, status, &message).await;
    }

    /// AP §8.2 step 6.4, and the stop-on-rollback rule.
    async fn upgrade(
        &self,
        namespace: &str,
        deployment: &AgentDeployment,
        previous: &HelmRecord,
        registry: Option<&[u8]>,
    ) {
        let values = with_pull_secret(deployment.values.as_ref(), &deployment.release_name);
        let chart = HelmChart::of(deployment);
        let request = request(namespace, deployment, &chart, &values, registry);
        tracing::info!(release = %deployment.release_name, revision.id = %deployment.revision_id, "helm upgrade");
        let result = self
            .progress
            .while_running(
                deployment.revision_id,
                HELM_PROGRESS_MESSAGE,
                self.adapters.helm.upgrade(&request),
            )
            .await;
        let helm_revision = match result {
            Ok(helm_revision) => helm_revision,
            Err(err) => {
                self.post(
                    deployment.revision_id,
                    StatusType::Error,
                    &upgrade_error(&err.to_string()),
                )
                .await;
                self.after_failed_upgrade(namespace, deployment, previous)
                    .await;
                return;
            }
        };
        self.failed_upgrades
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&deployment.id);
        if let Err(err) = self
            .write_record(
                namespace,
                &record_after_operation(deployment, helm_revision),
            )
            .await
        {
            self.post(
                deployment.revision_id,
                StatusType::Error,
                &upgrade_error(&err),
            )
            .await;
            return;
        }
        if !deployment.force_restart {
            self.post(
                deployment.revision_id,
                StatusType::Running,
                UPGRADE_SUCCEEDED,
            )
            .await;
            return;
        }
        match self.restart(namespace, deployment).await {
            Ok(()) => {
                self.post(
                    deployment.revision_id,
                    StatusType::Running,
                    &force_restart_succeeded(),
                )
                .await;
            }
            Err(err) => {
                self.post(
                    deployment.revision_id,
                    StatusType::Error,
                    &force_restart_failed(&err),
                )
                .await;
                self.post(
                    deployment.revision_id,
                    StatusType::Running,
                    UPGRADE_SUCCEEDED,
                )
                .await;
            }
        }
    }

    /// Helm rolled the release back: record the revision it rolled back to
    /// (so the skew guard stays quiet) and do not retry this revision.
    async fn after_failed_upgrade(
        &self,
        namespace: &str,
        deployment: &AgentDeployment,
        previous: &HelmRecord,
    ) {
        self.failed_upgrades
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(deployment.id, deployment.revision_id);
        match self
            .adapters
            .helm
            .latest_revision(namespace, &deployment.release_name)
            .await
        {
            Ok(Some(rolled_back_to)) => {
                let record = record_after_rollback(previous, rolled_back_to);
                if let Err(err) = self.write_record(namespace, &record).await {
                    tracing::warn!(release = %deployment.release_name, error = %err, "cannot record the rollback");
                }
            }
            Ok(None) => {
                tracing::warn!(release = %deployment.release_name, "release vanished after a failed upgrade")
            }
            Err(err) => {
                tracing::warn!(release = %deployment.release_name, error = %err, "cannot look up the rollback revision")
            }
        }
    }

    /// AP §8.6 over the release manifest.
    async fn restart(&self, namespace: &str, deployment: &AgentDeployment) -> Result<(), String> {
        let manifest = self
            .adapters
            .helm
            .manifest(namespace, &deployment.release_name)
            .await
            .map_err(|e| e.to_string())?;
        self.adapters
            .restarter
            .restart(namespace, &manifest, self.adapters.clock.now())
            .await
            .map_err(|e| e.to_string())
    }

    /// AP §8.2 step 6.5 (second bullet).
    async fn check(&self, namespace: &str, deployment: &AgentDeployment) {
        let (status, message) = match self
            .adapters
            .helm
            .manifest(namespace, &deployment.release_name)
            .await
        {
            Err(err) => (StatusType::Error, manifest_error(&err.to_string())),
            Ok(manifest) => match self.adapters.health.check(namespace, &manifest).await {
                Ok(count) => (StatusType::Healthy, healthy_message(count)),
                Err(err) => (StatusType::Error, resource_error(&err.to_string())),
            },
        };
        self.post(deployment.revision_id, status, &message).await;
    }

    async fn write_record(&self, namespace: &str, record: &HelmRecord) -> Result<(), String> {
        self.adapters
            .state
            .put(namespace, record)
            .await
            .map_err(|e| format!("cannot write the state Secret: {e}"))
    }
}

fn request<'a>(
    namespace: &'a str,
    deployment: &'a AgentDeployment,
    chart: &'a HelmChart,
    values: &'a serde_json::Value,
    registry: Option<&'a [u8]>,
) -> HelmRequest<'a> {
    HelmRequest {
        namespace,
        release_name: &deployment.release_name,
        chart,
        values,
        registry_config: registry,
    }
}
