//! `GET /agent/resources` (AP §3.7, §11j): the desired state, with a
//! heartbeat on every call, ETags, 304s and the `wait` long-poll.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use distr_domain::ids::TargetId;

use super::desired::{self, BuildError, Desired};
use super::extract::AgentPrincipal;
use super::longpoll;
use crate::state::AppState;

/// Records agent contact; a failure is logged, never answered.
pub async fn record_contact(state: &AppState, target: TargetId, message: &str) {
    if let Err(err) = state
        .store
        .record_heartbeat(target, state.clock.now(), message)
        .await
    {
        tracing::warn!(target.id = %target, error = %err, "cannot record heartbeat");
    }
}

/// Handles `GET /agent/resources`.
pub async fn get_resources(
    State(state): State<AppState>,
    AgentPrincipal { target }: AgentPrincipal,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let wait = longpoll::parse_wait(query.as_deref());
    // Subscribe before building, so a change committed in between still wakes us.
    let feed = (if_none_match.is_some() && !wait.is_zero()).then(|| state.changes.subscribe());

    let current = match desired::build(&state, &target).await {
        Ok(current) => current,
        Err(err) => return failed(&state, target.id, err).await,
    };
    record_contact(&state, target.id, "OK").await;
    if !if_none_match.is_some_and(|tags| etag_matches(&tags, &current.etag)) {
        return full(current);
    }
    if wait.is_zero() {
        return not_modified(&current.etag);
    }
    match longpoll::hold(&state, &target, &current.etag, wait, feed).await {
        Ok(Some(changed)) => full(changed),
        Ok(None) => {
            record_contact(&state, target.id, "OK").await;
            not_modified(&current.etag)
        }
        Err(err) => failed(&state, target.id, err).await,
    }
}

/// Strong comparison against a list of entity tags (RFC 9110 §13.1.2).
fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == etag)
}

fn no_store(response: &mut Response, etag: &str) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
}

fn full(desired: Desired) -> Response {
    let mut response = (StatusCode::OK, Body::from(desired.body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    no_store(&mut response, &desired.etag);
    response
}

fn not_modified(etag: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    no_store(&mut response, etag);
    response
}

async fn failed(state: &AppState, target: TargetId, err: BuildError) -> Response {
    if err.answer.status != StatusCode::UNAUTHORIZED {
        record_contact(state, target, &err.to_string()).await;
    }
    (*err.answer).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_lists_match_strongly() {
        assert!(etag_matches("\"abc\"", "\"abc\""));
        assert!(etag_matches("\"x\", \"abc\"", "\"abc\""));
        assert!(!etag_matches("W/\"abc\"", "\"abc\""));
        assert!(!etag_matches("abc", "\"abc\""));
    }
}
