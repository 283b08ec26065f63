//! Request decoding shared by the user routes: JSON bodies (415 for other
//! types, 400 `bad-request` for malformed JSON, 413 over the body limit) and
//! ids in paths (a non-UUID id names nothing, so 404).

use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

/// Whether the request declares a JSON content type.
pub(super) fn is_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| {
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        })
}

/// Reads the whole body, mapping an oversized one to 413.
pub(super) async fn read_body<S: Send + Sync>(
    request: Request,
    state: &S,
) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large("request body exceeds 1 MiB")
            } else {
                ApiError::bad_request("cannot read the request body")
            }
        })
}

/// Decodes JSON, describing the error by position only (never echoing input).
pub(super) fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|err| {
        let what = match err.classify() {
            serde_json::error::Category::Data => "invalid JSON value",
            _ => "malformed JSON",
        };
        ApiError::bad_request(format!(
            "{what} at line {} column {}",
            err.line(),
            err.column()
        ))
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&request) {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = read_body(request, state).await?;
        decode_json(&bytes).map(JsonBody)
    }
}

/// Parses an id from a path segment; anything else is 404.
///
/// # Errors
/// 404 `not-found` for a malformed id.
pub fn parse_id<T: FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}
