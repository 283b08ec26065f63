//! `POST /agent/login` (AP §3.5): HTTP Basic `targetId:targetSecret` for an
//! agent JWT.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use distr_domain::protocol::LoginResponse;

use super::credentials::{CREDENTIAL_REQUESTS_PER_WINDOW, parse_target_id, verify_target};
use super::token::{self, AgentIdentity};
use crate::problem::ApiError;
use crate::state::AppState;

/// The R2 bucket, separate from the connect limiter.
pub const LOGIN_BUCKET: &str = "agent-login";

/// Handles `POST /agent/login`, checking in the AP §3.5 order.
///
/// # Errors
/// 401 without valid Basic credentials, 400 for a non-UUID id, 429 over R2.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<LoginResponse>, ApiError> {
    let (user, password) = basic_credentials(&headers).ok_or_else(ApiError::unauthorized)?;
    let id = parse_target_id(Some(&user))?;
    state.rate_limits.check(
        LOGIN_BUCKET,
        &id.to_string(),
        CREDENTIAL_REQUESTS_PER_WINDOW,
    )?;
    let target = verify_target(&state, id, Some(&password)).await?;
    let identity = AgentIdentity {
        target_id: target.id,
        organization_id: target.organization_id,
    };
    let token = token::issue(
        &state.config.jwt_secret,
        identity,
        state.clock.now(),
        state.config.agent_token_valid,
    )
    .map_err(|err| {
        tracing::error!(error = %err, "cannot sign agent token");
        ApiError::internal()
    })?;
    Ok(Json(LoginResponse { token }))
}

/// `Authorization: Basic base64(user:password)`; `None` when absent or malformed.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_auth(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn basic_credentials_split_at_the_first_colon() {
        let encoded = STANDARD.encode("id:sec:ret");
        assert_eq!(
            basic_credentials(&with_auth(&format!("basic {encoded}"))),
            Some(("id".to_owned(), "sec:ret".to_owned()))
        );
    }

    #[test]
    fn malformed_basic_headers_are_absent() {
        assert_eq!(basic_credentials(&HeaderMap::new()), None);
        assert_eq!(basic_credentials(&with_auth("Bearer abc")), None);
        assert_eq!(basic_credentials(&with_auth("Basic !!!")), None);
        assert_eq!(
            basic_credentials(&with_auth(&format!("Basic {}", STANDARD.encode("nocolon")))),
            None
        );
    }
}
