//! The middleware around every request: request id, problem documents for
//! every error (including framework rejections), and one access log line.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;

const REQUEST_ID: &str = "x-request-id";
const MAX_REQUEST_ID: usize = 64;
/// Problem documents are small; anything larger is passed through untouched.
const MAX_PROBLEM_BODY: usize = 64 * 1024;

/// What handlers learn about the caller, for the access log (HS §6.5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessNote {
    /// `user`, `token`, `agent` or empty for anonymous.
    pub principal_kind: &'static str,
    /// User, token or target id.
    pub principal_id: Option<String>,
    /// Organization id, when known.
    pub organization_id: Option<String>,
    /// Target id, when known.
    pub target_id: Option<String>,
}

/// Per-request data the envelope puts into the request extensions.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The request id echoed in `X-Request-Id` and problem bodies.
    pub request_id: String,
    note: Arc<Mutex<AccessNote>>,
}

/// Records who the caller is, for the access line of this request.
/// Does nothing outside the envelope (for example in unit tests).
pub fn note_access(extensions: &axum::http::Extensions, note: AccessNote) {
    if let Some(ctx) = extensions.get::<RequestContext>() {
        *ctx.note.lock().unwrap_or_else(PoisonError::into_inner) = note;
    }
}

fn safe_request_id(value: Option<&HeaderValue>) -> Option<String> {
    let text = value?.to_str().ok()?;
    let ok = !text.is_empty()
        && text.len() <= MAX_REQUEST_ID
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| text.to_owned())
}

/// The envelope middleware.
pub async fn envelope(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = safe_request_id(request.headers().get(REQUEST_ID))
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().clone();
    // Only the path: query strings may carry secrets (`targetSecret`).
    let path = request.uri().path().to_owned();
    let note = Arc::new(Mutex::new(AccessNote::default()));
    request.extensions_mut().insert(RequestContext {
        request_id: request_id.clone(),
        note: Arc::clone(&note),
    });

    let response = next.run(request).await;
    let mut response = finish_problem(response, &path, &request_id).await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }

    let note = note.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(
        target: "distr_hub::access",
        request_id = %request_id,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        duration_ms,
        principal_kind = if note.principal_kind.is_empty() { "anonymous" } else { note.principal_kind },
        principal_id = note.principal_id.as_deref(),
        organization_id = note.organization_id.as_deref(),
        target_id = note.target_id.as_deref(),
        "request"
    );
    response
}

fn is_problem(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"))
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Turns every error into a problem document and adds `instance` and `requestId`.
async fn finish_problem(response: Response, path: &str, request_id: &str) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let response = if is_problem(&response) {
        response
    } else if is_json(&response) || is_html(&response) {
        // A deliberate JSON error body (`/ready`'s `{"ready":false}`) and the
        // portal's HTML error pages stay.
        return response;
    } else {
        replace_with_problem(response)
    };
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PROBLEM_BODY).await else {
        return (parts.status, "").into_response();
    };
    let Ok(serde_json::Value::Object(mut doc)) =
        serde_json::from_slice::<serde_json::Value>(&bytes)
    else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    doc.insert("instance".to_owned(), path.into());
    doc.insert("requestId".to_owned(), request_id.into());
    let json = serde_json::to_vec(&doc).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json))
}

/// Framework rejections (404, 405, 413, 415, 400, 422) arrive as plain text;
/// they get the problem of their status, keeping headers such as `Allow`.
fn replace_with_problem(response: Response) -> Response {
    let status = response.status();
    let problem = match status {
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            ApiError::bad_request("malformed request")
        }
        StatusCode::NOT_FOUND => ApiError::not_found(),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            status,
            "method-not-allowed",
            "method not allowed on this path",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::payload_too_large("request body exceeds 1 MiB"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::unsupported_media_type(),
        StatusCode::SERVICE_UNAVAILABLE => {
            ApiError::new(status, "unavailable", "service unavailable")
        }
        s if s.is_server_error() => ApiError {
            status: s,
            ..ApiError::internal()
        },
        s => ApiError::new(s, "error", s.canonical_reason().unwrap_or("error")),
    };
    let (parts, _) = response.into_parts();
    let mut fresh = problem.into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_request_ids_are_replaced() {
        assert_eq!(
            safe_request_id(Some(&HeaderValue::from_static("abc-123"))),
            Some("abc-123".to_owned())
        );
        assert_eq!(
            safe_request_id(Some(&HeaderValue::from_static("a b"))),
            None
        );
        let long = "a".repeat(65);
        assert_eq!(
            safe_request_id(HeaderValue::from_str(&long).ok().as_ref()),
            None
        );
        assert_eq!(safe_request_id(None), None);
    }
}
