//! `POST /applications/{id}/versions` (HS §3.6): JSON with base64 files, or
//! upstream-compatible multipart; validated by the HS §2.2 rules.

mod validate;

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use distr_domain::ids::{ApplicationId, ApplicationVersionId};
use serde::Deserialize;

use super::applications::require_vendor_writer;
use super::input::{decode_json, is_json, read_body};
use super::parse_id;
use super::views::VersionView;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Largest stored text file (HS §2.1).
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// The version fields, with files already decoded.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VersionInput {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) chart_type: Option<String>,
    #[serde(default)]
    pub(crate) chart_url: Option<String>,
    #[serde(default)]
    pub(crate) chart_name: Option<String>,
    #[serde(default)]
    pub(crate) chart_version: Option<String>,
    #[serde(default)]
    pub(crate) compose_file: Option<String>,
    #[serde(default)]
    pub(crate) values_file: Option<String>,
    #[serde(default)]
    pub(crate) template_file: Option<String>,
}

/// Decodes a base64 file field into UTF-8 text within the size limit.
pub(super) fn decode_file(pointer: &str, b64: &str) -> Result<String, ApiError> {
    let bytes = STANDARD.decode(b64.trim()).map_err(|_| {
        ApiError::bad_request("file is not valid base64").with_field(pointer, "not valid base64")
    })?;
    file_text(pointer, bytes)
}

fn file_text(pointer: &str, bytes: Vec<u8>) -> Result<String, ApiError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ApiError::payload_too_large("a file exceeds 256 KiB")
            .with_field(pointer, "at most 256 KiB"));
    }
    String::from_utf8(bytes).map_err(|_| {
        ApiError::validation("file is not UTF-8 text").with_field(pointer, "must be UTF-8 text")
    })
}

fn decode_json_input(bytes: &[u8]) -> Result<VersionInput, ApiError> {
    let mut input: VersionInput = decode_json(bytes)?;
    for (pointer, slot) in [
        ("/composeFile", &mut input.compose_file),
        ("/valuesFile", &mut input.values_file),
        ("/templateFile", &mut input.template_file),
    ] {
        if let Some(b64) = slot.take() {
            *slot = Some(decode_file(pointer, &b64)?);
        }
    }
    Ok(input)
}

const FILE_TYPES: [&str; 7] = [
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/x-yaml",
    "text/plain",
    "application/octet-stream",
    "text/vnd.yaml",
];

async fn decode_multipart(mut multipart: Multipart) -> Result<VersionInput, ApiError> {
    let malformed = |_| ApiError::bad_request("malformed multipart body");
    let mut input = None;
    let mut files: [(&str, Option<String>); 3] = [
        ("composefile", None),
        ("valuesfile", None),
        ("templatefile", None),
    ];
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_ascii_lowercase();
        if name == "applicationversion" {
            let bytes = field.bytes().await.map_err(malformed)?;
            input = Some(decode_json::<VersionInput>(&bytes)?);
            continue;
        }
        let Some(slot) = files.iter_mut().find(|(part, _)| *part == name) else {
            continue;
        };
        let media = field.content_type().map(|c| {
            c.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
        if media.as_deref().is_some_and(|m| !FILE_TYPES.contains(&m)) {
            return Err(ApiError::unsupported_media_type()
                .with_field(slot.0, "must be YAML, text or octet-stream"));
        }
        let bytes = field.bytes().await.map_err(malformed)?;
        slot.1 = Some(file_text(slot.0, bytes.to_vec())?);
    }
    let mut input = input.ok_or_else(|| {
        ApiError::bad_request("missing part applicationversion")
            .with_field("applicationversion", "required")
    })?;
    let [(_, compose), (_, values), (_, template)] = files;
    // Files arrive only as parts in this encoding.
    input.compose_file = compose;
    input.values_file = values;
    input.template_file = template;
    Ok(input)
}

fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

#[utoipa::path(
    post,
    operation_id = "createApplicationVersion",
    path = "/api/v1/applications/{id}/versions",
    tag = "applications",
    summary = "Create a version (JSON with base64 files, or multipart)",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    request_body(content((VersionInput = "application/json"), (crate::openapi::VersionUpload = "multipart/form-data"))),
    responses((status = 201, description = "Created", body = VersionView))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    request: Request,
) -> Result<(StatusCode, Json<VersionView>), ApiError> {
    let id: ApplicationId = parse_id(&id)?;
    let app = state
        .store
        .get_application(principal.organization_id, id)
        .await?;
    require_vendor_writer(&principal)?;
    let input = if is_json(&request) {
        decode_json_input(&read_body(request, &()).await?)?
    } else if is_multipart(&request) {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::payload_too_large("request body exceeds 1 MiB")
                } else {
                    ApiError::bad_request("malformed multipart body")
                }
            })?;
        decode_multipart(multipart).await?
    } else {
        return Err(ApiError::unsupported_media_type());
    };
    let view = create_version(&state, &app, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Validates (HS §2.2) and stores a version of `app`, which the caller has
/// already read in scope and may write; the API and the portal share it.
///
/// # Errors
/// 400 with `errors[]` for rule violations, `duplicate-name` for a taken name.
pub(crate) async fn create_version(
    state: &AppState,
    app: &distr_domain::application::Application,
    input: VersionInput,
) -> Result<VersionView, ApiError> {
    let (name, content) = validate::version(app.app_type, input)?;
    let version = distr_domain::application::ApplicationVersion {
        id: ApplicationVersionId::from_uuid(uuid::Uuid::now_v7()),
        application_id: app.id,
        created_at: state.clock.now(),
        name,
        archived_at: None,
        content,
    };
    state.store.create_version(&version).await?;
    Ok(VersionView::from(&version))
}
