//! `POST /agent/status` (AP §3.9, §9.2, §11a).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use distr_domain::deployment::StatusType;
use distr_domain::ids::{RevisionId, StatusId};
use distr_domain::protocol::StatusReport;
use distr_domain::redact::{cap_utf8, redact};
use distr_domain::target::DeploymentTarget;

use super::extract::AgentPrincipal;
use super::input::json_body;
use super::render::redaction_values;
use crate::problem::ApiError;
use crate::state::AppState;

/// Status messages are capped at 64 KiB (HS §2.2).
pub const MAX_STATUS_MESSAGE: usize = 64 * 1024;

/// Handles `POST /agent/status`.
///
/// # Errors
/// 400 for bad JSON or an unknown type, 404 for a revision outside the
/// calling target's deployments (unknown ones included).
pub async fn post_status(
    State(state): State<AppState>,
    AgentPrincipal { target }: AgentPrincipal,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let report: Option<StatusReport> = json_body(&body)?;
    let report = report.unwrap_or_default();
    let raw_type = report.status_type.unwrap_or_default();
    let status_type = StatusType::parse_reported(&raw_type)
        .map_err(|err| ApiError::bad_request(err.to_string()))?;
    let revision = report
        .revision_id
        .as_deref()
        .and_then(|s| s.parse::<RevisionId>().ok())
        .ok_or_else(|| ApiError::bad_request("revisionId is not a valid UUID"))?;
    ensure_own_revision(&state, &target, revision).await?;
    let secrets = redaction_values(&state, &target).await?;
    let message = redact(report.message.as_deref().unwrap_or_default(), &secrets);
    let message = cap_utf8(&message, MAX_STATUS_MESSAGE);
    let now = state.clock.now();
    let id = StatusId::from_uuid(uuid::Uuid::now_v7());
    state
        .store
        .record_status(id, revision, status_type, message, now)
        .await?;
    Ok(StatusCode::OK)
}

/// 404 unless `revision` belongs to a deployment of `target` (AP §11a).
async fn ensure_own_revision(
    state: &AppState,
    target: &DeploymentTarget,
    revision: RevisionId,
) -> Result<(), ApiError> {
    let Some(revision) = state.store.find_revision(revision).await? else {
        return Err(ApiError::not_found());
    };
    match state.store.find_deployment(revision.deployment_id).await? {
        Some(deployment) if deployment.deployment_target_id == target.id => Ok(()),
        _ => Err(ApiError::not_found()),
    }
}
