//! The authentication chain of every authenticated `/agent/*` route (AP §3.6).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use distr_domain::target::DeploymentTarget;

use super::token;
use crate::problem::ApiError;
use crate::router::{AccessNote, note_access};
use crate::state::AppState;

/// R3: authenticated agent requests per target and window (AP §3.1).
pub const AGENT_REQUESTS_PER_WINDOW: u32 = 167;

/// The `User-Agent` prefix of Distr agents; the rest is a version name.
const USER_AGENT_PREFIX: &str = "DistrAgentClient/";

/// An authenticated agent: the target its token names, freshly loaded.
#[derive(Debug, Clone)]
pub struct AgentPrincipal {
    /// The calling target.
    pub target: DeploymentTarget,
}

impl FromRequestParts<AppState> for AgentPrincipal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = bearer_token(parts).ok_or_else(ApiError::unauthorized)?;
        let now = state.clock.now();
        let identity = token::verify(&state.config.jwt_secret, bearer, now).map_err(|err| {
            tracing::debug!(error = %err, "agent token refused");
            ApiError::unauthorized()
        })?;
        let target = state
            .store
            .find_target(identity.target_id)
            .await?
            .filter(|t| t.organization_id == identity.organization_id)
            .ok_or_else(ApiError::unauthorized)?;
        note_access(
            &parts.extensions,
            AccessNote {
                principal_kind: "agent",
                principal_id: Some(target.id.to_string()),
                organization_id: Some(target.organization_id.to_string()),
                target_id: Some(target.id.to_string()),
            },
        );
        let target = update_reported_version(parts, state, target).await?;
        state
            .rate_limits
            .check("agent", &target.id.to_string(), AGENT_REQUESTS_PER_WINDOW)?;
        Ok(Self { target })
    }
}

/// `Authorization: Bearer <jwt>`, scheme matched case-insensitively.
fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let (scheme, rest) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim())
        .filter(|t| !t.is_empty())
}

/// Step 6: a known `DistrAgentClient/<name>` that differs from the stored
/// reported version is written; an unknown name is only logged.
async fn update_reported_version(
    parts: &Parts,
    state: &AppState,
    mut target: DeploymentTarget,
) -> Result<DeploymentTarget, ApiError> {
    let Some(name) = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .and_then(|ua| ua.strip_prefix(USER_AGENT_PREFIX))
    else {
        return Ok(target);
    };
    match state.store.find_agent_version_by_name(name).await? {
        Some(version) if target.reported_agent_version_id != Some(version.id) => {
            state
                .store
                .set_reported_agent_version(target.id, version.id)
                .await?;
            target.reported_agent_version_id = Some(version.id);
        }
        Some(_) => {}
        None => {
            // The header is caller-controlled: log a bounded prefix only.
            let shown = distr_domain::redact::cap_utf8(name, 64);
            tracing::info!(target.id = %target.id, agent.version = %shown, "agent reports an unknown version");
        }
    }
    Ok(target)
}
