//! `POST /deployment-targets/{id}/access-request` (AP §2.3): issues or
//! rotates a target secret and returns the connect command. The plaintext
//! secret exists only in this response.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use distr_domain::ids::TargetId;
use distr_domain::manifest::{connect_command, connect_url};
use serde::Serialize;

use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// The access request answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessResponse {
    /// `<base>/api/v1/connect?targetId=…&targetSecret=…`.
    pub connect_url: String,
    /// The target.
    pub target_id: TargetId,
    /// The new secret (32 lowercase hex characters).
    pub target_secret: String,
    /// The command a user runs on the target host.
    pub connect_command: String,
}

/// Handles the access request.
///
/// # Errors
/// 404 for a target outside the caller's scope, 403 for `read_only`.
pub async fn post_access_request(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: TargetId = id.parse().map_err(|_| ApiError::not_found())?;
    let body = rotate_target_secret(&state, &principal, id).await?;
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Rotates the target's secret and returns the connect data; the API and
/// the portal's connect page share it. Callers MUST answer with `no-store`.
///
/// # Errors
/// 404 for a target outside the caller's scope, 403 for `read_only`.
pub async fn rotate_target_secret(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
) -> Result<AccessResponse, ApiError> {
    let target = state
        .store
        .get_target(principal.organization_id, id)
        .await?;
    if !principal.can_see(target.customer_organization_id) {
        return Err(ApiError::not_found());
    }
    principal.require_write()?;
    let org = state.store.get_organization(target.organization_id).await?;
    let secret = state.target_secrets.generate_secret();
    let hash = state
        .target_secrets
        .hash_target_secret(&secret)
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "cannot hash target secret");
            ApiError::internal()
        })?;
    state.store.set_target_secret(target.id, &hash).await?;
    tracing::info!(target.id = %target.id, "target secret rotated");
    let base = &state.config.distr_host;
    let body = AccessResponse {
        connect_url: connect_url(base, target.id, &secret),
        connect_command: connect_command(
            base,
            target.id,
            &secret,
            &target.kind,
            org.pre_post_scripts_enabled,
            org.connect_script_is_sudo,
        ),
        target_id: target.id,
        target_secret: secret,
    };
    Ok(body)
}
