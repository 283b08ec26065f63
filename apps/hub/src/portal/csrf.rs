//! CSRF protection (HS §4.1): every state change is a POST whose `_csrf`
//! field is an HMAC of the session token under `JWT_SECRET`, sent with an
//! `Origin` equal to the origin of `DISTR_HOST`; anything else gets 403
//! `csrf`. Derived from the session alone, it works on every replica (§6.2).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::page::PortalError;
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;

type HmacSha256 = Hmac<Sha256>;

/// The form field that carries the token.
pub const CSRF_FIELD: &str = "_csrf";

fn mac(secret: &[u8], session_token: &str) -> HmacSha256 {
    // HMAC accepts keys of any length.
    let mut mac = HmacSha256::new_from_slice(secret).unwrap_or_else(|_| {
        unreachable!("HMAC-SHA256 takes keys of any length");
    });
    mac.update(b"distr-portal-csrf\0");
    mac.update(session_token.as_bytes());
    mac
}

/// The CSRF token of a session: lowercase hex of
/// HMAC-SHA256(`JWT_SECRET`, "distr-portal-csrf\0" ‖ session token).
#[must_use]
pub fn csrf_token(secret: &[u8], session_token: &str) -> String {
    hex::encode(mac(secret, session_token).finalize().into_bytes())
}

/// A keyed fingerprint of `parts` under `JWT_SECRET` for `purpose`, for
/// stateless one-time form fields (the connect page's `issued`).
#[must_use]
pub(crate) fn fingerprint(secret: &[u8], purpose: &str, parts: &[&[u8]]) -> String {
    let mut mac = mac(secret, purpose);
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `presented` is the session's token (constant-time).
fn token_matches(secret: &[u8], session_token: &str, presented: &str) -> bool {
    hex::decode(presented)
        .is_ok_and(|bytes| mac(secret, session_token).verify_slice(&bytes).is_ok())
}

fn refused(detail: &str) -> PortalError {
    PortalError::Api(ApiError::new(StatusCode::FORBIDDEN, "csrf", detail))
}

/// The origin (`scheme://host[:port]`) of a base URL.
pub(crate) fn origin_of(base: &str) -> &str {
    let rest_start = base.find("://").map_or(0, |i| i + 3);
    let end = base[rest_start..]
        .find('/')
        .map_or(base.len(), |i| rest_start + i);
    &base[..end]
}

/// Refuses a POST whose `Origin` is absent or not the Hub's own.
///
/// # Errors
/// 403 `csrf`.
pub(crate) fn check_origin(state: &AppState, headers: &HeaderMap) -> Result<(), PortalError> {
    let expected = origin_of(&state.config.distr_host);
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) if origin.eq_ignore_ascii_case(expected) => Ok(()),
        _ => Err(refused("cross-origin request refused")),
    }
}

/// A form with no fields besides the CSRF token (a button).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct NoFields {}

/// A form posted by a signed-in user, with `Origin` and CSRF token checked.
#[derive(Debug)]
pub(crate) struct CsrfForm<T>(pub Session, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PortalError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let session = Session::from_request_parts(&mut parts, state).await?;
        check_origin(state, &parts.headers)?;
        let request = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| PortalError::Api(ApiError::payload_too_large("form too large")))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| PortalError::Api(ApiError::bad_request("malformed form")))?;
        let presented = pairs
            .iter()
            .find(|(key, _)| key == CSRF_FIELD)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default();
        if !token_matches(&state.config.jwt_secret, &session.token, presented) {
            return Err(refused("missing or invalid CSRF token; reload the page"));
        }
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| PortalError::Api(ApiError::bad_request("malformed form")))?;
        Ok(Self(session, form))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_for_its_own_session_and_secret() {
        let token = csrf_token(b"secret", "session-a");
        assert_eq!(token.len(), 64);
        assert!(token_matches(b"secret", "session-a", &token));
        assert!(!token_matches(b"secret", "session-b", &token));
        assert!(!token_matches(b"other", "session-a", &token));
        assert!(!token_matches(b"secret", "session-a", ""));
        assert!(!token_matches(b"secret", "session-a", "zz"));
    }

    #[test]
    fn the_origin_drops_path_and_keeps_the_port() {
        assert_eq!(origin_of("http://localhost:8080"), "http://localhost:8080");
        assert_eq!(
            origin_of("https://hub.example.com/base/"),
            "https://hub.example.com"
        );
    }
}
