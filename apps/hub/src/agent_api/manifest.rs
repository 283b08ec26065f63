//! Install manifests (AP §4): `GET /agent/manifest` here, and the shared
//! rendering `/connect` uses.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use distr_domain::duration::format_go_duration;
use distr_domain::manifest::{ManifestInputs, render_manifest};
use distr_domain::target::{DeploymentTarget, TargetKind};

use super::extract::AgentPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Renders the install manifest of `target` for its configured agent
/// version; `secret` is `Some` only on `/connect` (AP §4.5).
///
/// # Errors
/// 500 when the agent version cannot be loaded.
pub async fn manifest_for(
    state: &AppState,
    target: &DeploymentTarget,
    secret: Option<&str>,
) -> Result<String, ApiError> {
    let version = state
        .store
        .get_agent_version(target.agent_version_id)
        .await?;
    let config = &state.config;
    let image_repository = match target.kind {
        TargetKind::Docker => version
            .docker_image_repository
            .as_deref()
            .unwrap_or(&config.agent_docker_image_repository),
        TargetKind::Kubernetes { .. } => version
            .kubernetes_image_repository
            .as_deref()
            .unwrap_or(&config.agent_kubernetes_image_repository),
    };
    let interval = format_go_duration(config.agent_interval);
    let inputs = ManifestInputs {
        base_url: &config.distr_host,
        target_id: target.id,
        target_secret: secret,
        version_id: version.id,
        version_name: &version.name,
        image_repository,
        interval: &interval,
        registry: None,
        agent_docker_config: config.agent_docker_config.as_deref(),
        kind: &target.kind,
        resources: target.resources.as_ref(),
    };
    Ok(render_manifest(&inputs))
}

/// A YAML answer that must not be cached (it may hold a secret).
#[must_use]
pub fn yaml_response(yaml: String) -> Response {
    let mut response = yaml.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/yaml"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Handles `GET /agent/manifest`: the manifest without the secret.
///
/// # Errors
/// 500 when rendering inputs cannot be loaded.
pub async fn get_manifest(
    State(state): State<AppState>,
    AgentPrincipal { target }: AgentPrincipal,
) -> Result<Response, ApiError> {
    Ok(yaml_response(manifest_for(&state, &target, None).await?))
}
