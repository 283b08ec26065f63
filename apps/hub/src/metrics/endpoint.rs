//! `GET /metrics` (HS §3.10): the text exposition, behind
//! `METRICS_BEARER_TOKEN` when that is set.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use super::text::CONTENT_TYPE;
use crate::problem::ApiError;
use crate::state::AppState;

/// Whether `headers` carry `Authorization: Bearer <expected>`; compared in
/// constant time. The token is never logged.
fn authorized(headers: &HeaderMap, expected: &str) -> bool {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    presented
        .is_some_and(|token| distr_crypto::constant_time_eq(token.as_bytes(), expected.as_bytes()))
}

/// The scrape.
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(expected) = state.config.metrics_bearer_token.as_deref()
        && !authorized(&headers, expected)
    {
        return ApiError::unauthorized().into_response();
    }
    let body = state
        .metrics
        .render(
            state.store.as_ref(),
            state.clock.as_ref(),
            state.config.health_stale_after,
        )
        .await;
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_the_exact_bearer_token_passes() {
        assert!(authorized(&with("Bearer s3cret"), "s3cret"));
        assert!(!authorized(&with("Bearer s3cre"), "s3cret"));
        assert!(!authorized(&with("Bearer s3cret!"), "s3cret"));
        assert!(!authorized(&with("Basic s3cret"), "s3cret"));
        assert!(!authorized(&with("s3cret"), "s3cret"));
        assert!(!authorized(&HeaderMap::new(), "s3cret"));
    }
}
