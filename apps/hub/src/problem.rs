//! RFC 9457 problem documents: the one error type of every HTTP handler
//! (AP §11i, HS §3.5).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One field-level validation error (`errors[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON Pointer (or multipart part name) of the offending input.
    pub pointer: String,
    /// What is wrong with it.
    pub detail: String,
}

/// An HTTP error answered as `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable slug; `type` is `/problems/<slug>`.
    pub slug: &'static str,
    /// Human-readable detail; never contains secrets.
    pub detail: String,
    /// Field errors.
    pub errors: Vec<FieldError>,
    /// Extra headers (rate-limit and auth challenges).
    pub headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl ApiError {
    /// A problem with a status, slug and detail.
    #[must_use]
    pub fn new(status: StatusCode, slug: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            slug,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// 400 `bad-request`.
    #[must_use]
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    /// 400 `validation-error`.
    #[must_use]
    pub fn validation(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "validation-error", detail)
    }

    /// 401 `unauthorized`.
    #[must_use]
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "authentication required",
        )
        .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
    }

    /// 403 `forbidden`.
    #[must_use]
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role does not allow this",
        )
    }

    /// 404 `not-found`.
    #[must_use]
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "not found")
    }

    /// 500 `internal-error` with a generic detail; log the cause where it happened.
    #[must_use]
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal-error",
            "internal error",
        )
    }

    /// 413 `payload-too-large`.
    #[must_use]
    pub fn payload_too_large(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", detail)
    }

    /// 415 `unsupported-media-type`.
    #[must_use]
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "unsupported content type",
        )
    }

    /// Adds a field error.
    #[must_use]
    pub fn with_field(mut self, pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            pointer: pointer.into(),
            detail: detail.into(),
        });
        self
    }

    /// Adds a field error in place.
    pub fn push_field(&mut self, pointer: impl Into<String>, detail: impl Into<String>) {
        self.errors.push(FieldError {
            pointer: pointer.into(),
            detail: detail.into(),
        });
    }

    /// Adds a response header.
    #[must_use]
    pub fn with_header(mut self, name: header::HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProblemBody<'a> {
    #[serde(rename = "type")]
    problem_type: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ProblemBody {
            problem_type: format!("/problems/{}", self.slug),
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: &self.detail,
            errors: &self.errors,
        };
        // `instance` and `requestId` are added by the request-id middleware,
        // which knows the path and id; see `router`.
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (self.status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        response
    }
}

impl From<distr_ports::StoreError> for ApiError {
    fn from(err: distr_ports::StoreError) -> Self {
        use distr_ports::StoreError;
        match err {
            StoreError::NotFound => Self::not_found(),
            StoreError::Conflict(what) => Self::new(
                StatusCode::BAD_REQUEST,
                "duplicate-name",
                format!("{what} already exists"),
            ),
            StoreError::InUse(what) => Self::new(
                StatusCode::CONFLICT,
                "in-use",
                format!("still in use: {what}"),
            ),
            StoreError::LastAdmin => Self::new(
                StatusCode::CONFLICT,
                "last-admin",
                "the organization must keep at least one vendor admin",
            ),
            StoreError::Unavailable(cause) | StoreError::Corrupt(cause) => {
                tracing::error!(error = %cause, "store failure");
                Self::internal()
            }
        }
    }
}
