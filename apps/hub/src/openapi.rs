//! The OpenAPI 3.1 document of the user API (HS §3.10), generated from the
//! handlers' `#[utoipa::path]` annotations and the views' `ToSchema`
//! derives. Served at `GET /api/v1/openapi.json` and printed by
//! `distr-hub openapi`. Agent routes are omitted (AP documents them).
//!
//! The problem responses (HS §3.5) are added here, by rule, to every
//! operation (see [`add_problem_responses`]), so handlers declare only their
//! success responses and any extra problem they answer.

pub mod html;

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

use crate::problem::FieldError;
use crate::user_api::UserApiDoc;

/// An RFC 9457 problem document (HS §3.5), `application/problem+json`.
#[derive(Debug, ToSchema)]
#[schema(as = Problem)]
pub struct Problem {
    /// `/problems/<slug>`, stable across releases.
    #[schema(rename = "type", example = "/problems/not-found")]
    pub problem_type: String,
    /// The HTTP reason phrase of `status`.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong; never secrets.
    pub detail: String,
    /// The request path.
    pub instance: Option<String>,
    /// The request id, as in `X-Request-Id`.
    #[schema(rename = "requestId")]
    pub request_id: Option<String>,
    /// Field errors (JSON Pointers or multipart part names).
    pub errors: Option<Vec<FieldError>>,
}

/// A reference to another object by id, as in `{"id": "…"}`.
#[derive(Debug, ToSchema)]
pub struct IdRef {
    /// The object's id.
    pub id: uuid::Uuid,
}

/// Kubernetes agent resources: all four quantities or none (HS §2.2).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct AgentResources {
    /// CPU request, a Kubernetes quantity such as `100m`.
    pub cpu_request: String,
    /// Memory request, such as `128Mi`.
    pub memory_request: String,
    /// CPU limit.
    pub cpu_limit: String,
    /// Memory limit.
    pub memory_limit: String,
}

/// The multipart form of a version upload (HS §3.6).
#[derive(Debug, ToSchema)]
pub struct VersionUpload {
    /// The version as JSON, without files.
    pub applicationversion: String,
    /// The Compose file (docker).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    pub composefile: Option<String>,
    /// The base values (kubernetes).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    pub valuesfile: Option<String>,
    /// The template file.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    pub templatefile: Option<String>,
}

/// Paging of newest-first lists (HS §3.5).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 100; default 25.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// Exclusive upper bound (RFC 3339).
    pub before: Option<DateTime<Utc>>,
    /// Exclusive lower bound (RFC 3339).
    pub after: Option<DateTime<Utc>>,
    /// The opaque cursor of a `Link: rel="next"` header.
    pub cursor: Option<String>,
}

/// The document around the user operations: info, security and problems.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Distr Hub user API",
        description = "The Hub's user API (HS §3). Errors are RFC 9457 problem documents."
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("accessToken" = [])),
    tags(
        (name = "session", description = "Login, context and personal access tokens"),
        (name = "users", description = "User accounts and organizations"),
        (name = "customers", description = "Customer organizations"),
        (name = "applications", description = "Applications and versions"),
        (name = "deployment-targets", description = "Targets, their logs and metrics"),
        (name = "deployments", description = "Deployments, revisions, status and logs"),
        (name = "secrets", description = "Secrets (values are never returned)"),
        (name = "agent-versions", description = "Agent versions"),
        (name = "meta", description = "This document")
    )
)]
struct HubDoc;

/// The bearer JWT and the `AccessToken` PAT scheme (HS §3.2).
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A user JWT from /auth/login"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "accessToken",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "A personal access token: `AccessToken distr-<32 hex>`",
            ))),
        );
    }
}

/// The problem responses every operation may answer, by status.
const PROBLEMS: [(&str, &str); 10] = [
    (
        "400",
        "The request is invalid (bad-request, validation-error, …)",
    ),
    ("401", "Not authenticated (unauthorized)"),
    ("403", "The role may not do this (forbidden)"),
    (
        "404",
        "Not found, or outside the caller's scope (not-found)",
    ),
    (
        "409",
        "Other objects block the operation (in-use, not-empty, last-admin)",
    ),
    ("413", "The body exceeds 1 MiB (payload-too-large)"),
    ("415", "The body is not JSON (unsupported-media-type)"),
    ("429", "Too many requests (rate-limited)"),
    ("500", "Internal error (internal-error)"),
    ("503", "The Hub is unavailable (unavailable)"),
];

fn problem_name(status: &str) -> String {
    format!("Problem{status}")
}

/// Whether the operation is public (`security: [{}]`).
fn is_public(op: &Operation) -> bool {
    op.security.as_ref().is_some_and(|reqs| {
        reqs.iter()
            .any(|r| serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({})))
    })
}

/// The problem statuses one operation may answer.
fn problem_statuses(method: &str, op: &Operation) -> Vec<&'static str> {
    let has_body = op.request_body.is_some();
    let has_query = op.parameters.as_ref().is_some_and(|ps| {
        ps.iter()
            .any(|p| matches!(p.parameter_in, ParameterIn::Query))
    });
    let writes = matches!(method, "post" | "put" | "patch");
    let mut out = Vec::new();
    if has_body || has_query || writes {
        out.push("400");
    }
    if !is_public(op) {
        out.extend(["401", "403", "404"]);
    } else if has_body {
        // Public operations that take credentials in the body: login and
        // the invite and reset links answer 401 for bad ones.
        out.push("401");
    }
    if method == "delete" {
        out.push("409");
    }
    if has_body {
        out.extend(["413", "415"]);
    }
    out.extend(["429", "500", "503"]);
    out
}

/// Adds the shared problem responses (`components.responses.Problem<status>`)
/// and references them from every operation, keeping any the handler declared.
pub fn add_problem_responses(doc: &mut utoipa::openapi::OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    for (status, description) in PROBLEMS {
        components.responses.insert(
            problem_name(status),
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build(),
            ),
        );
    }
    for item in doc.paths.paths.values_mut() {
        let ops = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            for status in problem_statuses(method, op) {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        RefOr::Ref(Ref::new(format!(
                            "#/components/responses/{}",
                            problem_name(status)
                        )))
                    });
            }
        }
    }
}

/// The complete document.
#[must_use]
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = HubDoc::openapi();
    doc.merge(UserApiDoc::openapi());
    doc.merge(MetaDoc::openapi());
    add_problem_responses(&mut doc);
    doc
}

/// The document as pretty JSON.
#[must_use]
pub fn document_json() -> String {
    document()
        .to_pretty_json()
        .unwrap_or_else(|_| String::from("{}"))
}

#[derive(OpenApi)]
#[openapi(paths(serve))]
struct MetaDoc;

/// `GET /api/v1/openapi.json` (public).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "getOpenApiDocument",
    tag = "meta",
    summary = "This OpenAPI 3.1 document",
    responses((status = 200, description = "The document", body = Object)),
    security(())
)]
pub async fn serve() -> Response {
    static JSON: LazyLock<String> = LazyLock::new(document_json);
    let mut response = JSON.as_str().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
