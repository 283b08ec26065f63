//! Builds a target's desired state (AP §5.4) with render-failure isolation
//! (AP §11e): a failing deployment records an error status and falls back
//! to its last-good payload, or is omitted when it never had one.

use std::collections::{BTreeMap, HashMap};

use distr_domain::deployment::{Deployment, DeploymentRevision, StatusType};
use distr_domain::ids::{DeploymentId, StatusId, TargetId};
use distr_domain::protocol::{
    AgentDeployment, AgentResource, AgentVersionRef, encode_agent_resource,
};
use distr_domain::render::{RenderInput, render_deployment};
use distr_domain::target::DeploymentTarget;
use distr_ports::StoreError;

use super::last_good;
use super::render::read_owner_secrets;
use crate::problem::ApiError;
use crate::state::AppState;

/// The prefix of the status the Hub records for a revision it cannot render.
pub const RENDER_ERROR_PREFIX: &str = "hub: cannot render revision: ";

/// A serialized desired state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    /// Deterministic JSON body.
    pub body: Vec<u8>,
    /// Strong ETag of `body`, quoted.
    pub etag: String,
}

/// A Hub-internal failure; its text becomes the heartbeat message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{context}: {detail}")]
pub struct BuildError {
    /// What was being done.
    pub context: &'static str,
    /// Why it failed (never secret material).
    pub detail: String,
    /// The HTTP answer.
    pub answer: Box<ApiError>,
}

impl BuildError {
    fn store(context: &'static str) -> impl FnOnce(StoreError) -> Self {
        move |err| Self {
            context,
            detail: err.to_string(),
            answer: Box::new(ApiError::from(err)),
        }
    }

    fn secrets(err: &super::render::SecretsError) -> Self {
        Self::internal("cannot load secrets", err.to_string())
    }

    fn internal(context: &'static str, detail: String) -> Self {
        tracing::error!(context, error = %detail, "cannot build desired state");
        Self {
            context,
            detail,
            answer: Box::new(ApiError::internal()),
        }
    }
}

/// Builds the desired state of `target` as of now.
///
/// # Errors
/// [`BuildError`] for Hub-internal failures only; a deployment that cannot
/// be rendered never fails the build.
pub async fn build(state: &AppState, target: &DeploymentTarget) -> Result<Desired, BuildError> {
    let store = &state.store;
    let version = store
        .get_agent_version(target.agent_version_id)
        .await
        .map_err(BuildError::store("cannot load agent version"))?;
    let deployments = store
        .list_deployments_of_targets(&[target.id])
        .await
        .map_err(BuildError::store("cannot load deployments"))?;
    let payloads = if deployments.is_empty() {
        Vec::new()
    } else {
        deployment_payloads(state, target, &deployments).await?
    };
    let resource = AgentResource {
        version: AgentVersionRef {
            id: version.id,
            created_at: version.created_at,
            name: version.name,
        },
        namespace: target.kind.namespace().map(str::to_owned),
        metrics_enabled: target.metrics_enabled,
        deployments: payloads,
    };
    let (body, etag) = encode_agent_resource(&resource);
    Ok(Desired { body, etag })
}

/// Reloads the target (for long-polls) and builds its desired state.
///
/// # Errors
/// 401 when the target vanished; otherwise as [`build`].
pub async fn rebuild(state: &AppState, target: &DeploymentTarget) -> Result<Desired, BuildError> {
    let fresh = reload(state, target.id, target).await?;
    build(state, &fresh).await
}

async fn reload(
    state: &AppState,
    id: TargetId,
    previous: &DeploymentTarget,
) -> Result<DeploymentTarget, BuildError> {
    state
        .store
        .find_target(id)
        .await
        .map_err(BuildError::store("cannot load target"))?
        .filter(|t| t.organization_id == previous.organization_id)
        .ok_or_else(|| BuildError {
            context: "target deleted",
            detail: "not found".to_owned(),
            answer: Box::new(ApiError::unauthorized()),
        })
}

async fn deployment_payloads(
    state: &AppState,
    target: &DeploymentTarget,
    deployments: &[Deployment],
) -> Result<Vec<AgentDeployment>, BuildError> {
    let store = &state.store;
    let ids: Vec<DeploymentId> = deployments.iter().map(|d| d.id).collect();
    let revisions: HashMap<DeploymentId, DeploymentRevision> = store
        .current_revisions(&ids)
        .await
        .map_err(BuildError::store("cannot load revisions"))?
        .into_iter()
        .map(|r| (r.deployment_id, r))
        .collect();
    let mut version_ids: Vec<_> = revisions
        .values()
        .map(|r| r.application_version_id)
        .collect();
    version_ids.sort_unstable();
    version_ids.dedup();
    let versions: HashMap<_, _> = store
        .get_versions(&version_ids)
        .await
        .map_err(BuildError::store("cannot load application versions"))?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let secrets = read_owner_secrets(state, target)
        .await
        .map_err(|err| BuildError::secrets(&err))?;
    let stored: HashMap<DeploymentId, _> = store
        .get_last_good_payloads(&ids)
        .await
        .map_err(BuildError::store("cannot load last-good payloads"))?
        .into_iter()
        .map(|p| (p.deployment_id, p))
        .collect();

    let mut out = Vec::with_capacity(deployments.len());
    for deployment in deployments {
        let Some(revision) = revisions.get(&deployment.id) else {
            continue;
        };
        let rendered = match versions.get(&revision.application_version_id) {
            Some(version) => render_deployment(&RenderInput {
                deployment,
                revision,
                version,
                secrets: &secrets,
                registry_auth: None,
            })
            .map_err(|err| err.to_string()),
            None => Err("application version not found".to_owned()),
        };
        match rendered {
            Ok(payload) => {
                remember(state, &payload, stored.get(&deployment.id)).await;
                out.push(payload);
            }
            Err(detail) => {
                record_render_error(state, revision, &detail).await;
                if let Some(fallback) = fallback(state, deployment, stored.get(&deployment.id))? {
                    out.push(fallback);
                }
            }
        }
    }
    Ok(out)
}

/// Persists `payload` as last-good when it differs from the stored one.
async fn remember(
    state: &AppState,
    payload: &AgentDeployment,
    stored: Option<&distr_domain::secret::LastGoodPayload>,
) {
    let plaintext = last_good::payload_plaintext(payload);
    let unchanged = stored
        .and_then(|s| last_good::open(state.cipher.as_ref(), s).ok())
        .is_some_and(|(previous, _)| previous == plaintext);
    if unchanged {
        return;
    }
    let sealed = last_good::seal(
        state.cipher.as_ref(),
        state.clock.now(),
        payload,
        &plaintext,
    );
    if let Err(err) = state.store.put_last_good_payload(&sealed).await {
        // The response is still right; the next poll retries the write.
        tracing::warn!(deployment.id = %payload.id, error = %err, "cannot store last-good payload");
    }
}

/// The last-good payload with current `logsEnabled` and `registryAuth`, if any.
fn fallback(
    state: &AppState,
    deployment: &Deployment,
    stored: Option<&distr_domain::secret::LastGoodPayload>,
) -> Result<Option<AgentDeployment>, BuildError> {
    let Some(stored) = stored else {
        return Ok(None);
    };
    let (_, mut payload) = last_good::open(state.cipher.as_ref(), stored)
        .map_err(|err| BuildError::internal("cannot open last-good payload", err.to_string()))?;
    payload.logs_enabled = deployment.logs_enabled;
    payload.registry_auth = registry_auth();
    Ok(Some(payload))
}

/// License registry credentials are not modelled yet (licensing is P3), so
/// every deployment gets `null`.
const fn registry_auth() -> Option<BTreeMap<String, distr_domain::protocol::RegistryCredentials>> {
    None
}

async fn record_render_error(state: &AppState, revision: &DeploymentRevision, detail: &str) {
    let message = format!("{RENDER_ERROR_PREFIX}{detail}");
    let id = StatusId::from_uuid(uuid::Uuid::now_v7());
    if let Err(err) = state
        .store
        .record_status(
            id,
            revision.id,
            StatusType::Error,
            &message,
            state.clock.now(),
        )
        .await
    {
        tracing::warn!(revision.id = %revision.id, error = %err, "cannot record render error");
    }
    tracing::info!(revision.id = %revision.id, deployment.id = %revision.deployment_id, "revision cannot be rendered");
}
