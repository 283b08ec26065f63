//! Target-secret authentication shared by `/connect`, `/pre-connect` and
//! `/agent/login` (AP §3.2, §3.5).

use distr_domain::ids::TargetId;
use distr_domain::target::DeploymentTarget;

use crate::problem::ApiError;
use crate::state::AppState;

/// R1 and R2: requests per `targetId` and window (AP §3.1).
pub const CREDENTIAL_REQUESTS_PER_WINDOW: u32 = 5;

/// The detail of a malformed `targetId` (AP §3.2, §3.5).
pub const INVALID_TARGET_ID: &str = "targetId is not a valid UUID";

/// Parses a `targetId`, answering 400 with the AP detail otherwise.
///
/// # Errors
/// 400 `targetId is not a valid UUID`.
pub fn parse_target_id(raw: Option<&str>) -> Result<TargetId, ApiError> {
    raw.and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::bad_request(INVALID_TARGET_ID))
}

/// Looks the target up in any organization and verifies `secret` in constant
/// time. Unknown targets, targets without a secret and wrong secrets all 401.
///
/// # Errors
/// 401 as above; 500 when the store fails.
pub async fn verify_target(
    state: &AppState,
    id: TargetId,
    secret: Option<&str>,
) -> Result<DeploymentTarget, ApiError> {
    let Some(secret) = secret else {
        return Err(ApiError::unauthorized());
    };
    let Some(target) = state.store.find_target(id).await? else {
        return Err(ApiError::unauthorized());
    };
    let Some(stored) = target.secret.as_ref() else {
        return Err(ApiError::unauthorized());
    };
    if state
        .target_secrets
        .verify_target_secret(secret, stored)
        .await
    {
        Ok(target)
    } else {
        Err(ApiError::unauthorized())
    }
}
