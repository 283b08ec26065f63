//! One application version (HS §3.4): read its metadata or raw files
//! (everyone in the organization), rename or (un)archive it, or delete it
//! while no revision references it (vendor writers).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SubsecRound, Utc};
use distr_domain::application::{ApplicationVersion, VersionContent};
use distr_domain::ids::ApplicationVersionId;
use distr_domain::names::Name;
use serde::Deserialize;

use super::applications::{require_vendor_writer, visible_application};
use super::views::VersionView;
use super::{JsonBody, parse_id};
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Body of `PUT …/versions/{vid}`: the only two mutable fields.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct UpdateVersion {
    #[serde(default)]
    name: String,
    #[serde(default)]
    archived_at: Option<DateTime<Utc>>,
}

/// The version `vid` of application `app` in the caller's organization
/// (404 otherwise); the API and the portal share it.
///
/// # Errors
/// 404 for an unknown or foreign application or version, 400 for a malformed id.
pub(crate) async fn visible_version(
    state: &AppState,
    principal: &UserPrincipal,
    app: &str,
    vid: &str,
) -> Result<ApplicationVersion, ApiError> {
    let app = visible_application(state, principal, app).await?;
    let id: ApplicationVersionId = parse_id(vid)?;
    let version = state
        .store
        .get_version(principal.organization_id, id)
        .await?;
    if version.application_id != app.id {
        return Err(ApiError::not_found());
    }
    Ok(version)
}

#[utoipa::path(
    get,
    operation_id = "getApplicationVersion",
    path = "/api/v1/applications/{id}/versions/{vid}",
    tag = "applications",
    summary = "Read one version's metadata",
    params(("id" = uuid::Uuid, Path, description = "The application id"), ("vid" = uuid::Uuid, Path, description = "The version id")),
    responses((status = 200, description = "The version", body = VersionView))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path((app, vid)): Path<(String, String)>,
) -> Result<Json<VersionView>, ApiError> {
    let version = visible_version(&state, &principal, &app, &vid).await?;
    Ok(Json(VersionView::from(&version)))
}

#[utoipa::path(
    put,
    operation_id = "updateApplicationVersion",
    path = "/api/v1/applications/{id}/versions/{vid}",
    tag = "applications",
    summary = "Rename, archive or unarchive a version",
    params(("id" = uuid::Uuid, Path, description = "The application id"), ("vid" = uuid::Uuid, Path, description = "The version id")),
    request_body = UpdateVersion,
    responses((status = 200, description = "The version", body = VersionView))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path((app, vid)): Path<(String, String)>,
    JsonBody(body): JsonBody<UpdateVersion>,
) -> Result<Json<VersionView>, ApiError> {
    let version = visible_version(&state, &principal, &app, &vid).await?;
    let view = update_version(&state, &principal, version, &body.name, body.archived_at).await?;
    Ok(Json(view))
}

/// Replaces the name and the archive time of `version`, which the caller
/// has read in scope (vendor writers); the API and the portal share it.
///
/// # Errors
/// 403 for other callers, 400 for an invalid or taken name.
pub(crate) async fn update_version(
    state: &AppState,
    principal: &UserPrincipal,
    mut version: ApplicationVersion,
    name: &str,
    archived_at: Option<DateTime<Utc>>,
) -> Result<VersionView, ApiError> {
    require_vendor_writer(principal)?;
    version.name = Name::parse("name", name)
        .map_err(|e| ApiError::validation("invalid version").with_field("/name", e.reason))?;
    version.archived_at = archived_at.map(|t| t.trunc_subsecs(6));
    state
        .store
        .update_version(principal.organization_id, &version)
        .await?;
    Ok(VersionView::from(&version))
}

#[utoipa::path(
    delete,
    operation_id = "deleteApplicationVersion",
    path = "/api/v1/applications/{id}/versions/{vid}",
    tag = "applications",
    summary = "Delete a version (409 in-use while a revision references it)",
    params(("id" = uuid::Uuid, Path, description = "The application id"), ("vid" = uuid::Uuid, Path, description = "The version id")),
    responses((status = 204, description = "Deleted"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path((app, vid)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let version = visible_version(&state, &principal, &app, &vid).await?;
    delete_version(&state, &principal, &version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes `version`, which the caller has read in scope (vendor writers);
/// the API and the portal share it.
///
/// # Errors
/// 403 for other callers, 409 `in-use` while a revision references it.
pub(crate) async fn delete_version(
    state: &AppState,
    principal: &UserPrincipal,
    version: &ApplicationVersion,
) -> Result<(), ApiError> {
    require_vendor_writer(principal)?;
    state
        .store
        .delete_version(principal.organization_id, version.id)
        .await?;
    Ok(())
}

/// A stored file as `application/yaml`; empty when unset.
fn yaml(text: Option<&str>) -> Response {
    let mut response = text.unwrap_or_default().to_owned().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/yaml"),
    );
    response
}

#[utoipa::path(
    get,
    operation_id = "getApplicationVersionComposeFile",
    path = "/api/v1/applications/{id}/versions/{vid}/compose-file",
    tag = "applications",
    summary = "The version's compose file",
    params(("id" = uuid::Uuid, Path, description = "The application id"), ("vid" = uuid::Uuid, Path, description = "The version id")),
    responses((status = 200, description = "Raw file, empty when unset", body = String, content_type = "application/yaml"))
)]
pub(super) async fn compose_file(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path((app, vid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let version = visible_version(&state, &principal, &app, &vid).await?;
    Ok(yaml(match &version.content {
        VersionContent::Docker { compose_file, .. } => Some(compose_file),
        VersionContent::Kubernetes { .. } => None,
    }))
}

#[utoipa::path(
    get,
    operation_id = "getApplicationVersionValuesFile",
    path = "/api/v1/applications/{id}/versions/{vid}/values-file",
    tag = "applications",
    summary = "The version's base values",
    params(("id" = uuid::Uuid, Path, description = "The application id"), ("vid" = uuid::Uuid, Path, description = "The version id")),
    responses((status = 200, description = "Raw file, empty when unset", body = String, content_type = "application/yaml"))
)]
pub(super) async fn values_file(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path((app, vid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let version = visible_version(&state, &principal, &app, &vid).await?;
    Ok(yaml(match &version.content {
        VersionContent::Kubernetes { values_file, .. } => values_file.as_deref(),
        VersionContent::Docker { .. } => None,
    }))
}

#[utoipa::path(
    get,
    operation_id = "getApplicationVersionTemplateFile",
    path = "/api/v1/applications/{id}/versions/{vid}/template-file",
    tag = "applications",
    summary = "The version's template file",
    params(("id" = uuid::Uuid, Path, description = "The application id"), ("vid" = uuid::Uuid, Path, description = "The version id")),
    responses((status = 200, description = "Raw file, empty when unset", body = String, content_type = "application/yaml"))
)]
pub(super) async fn template_file(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path((app, vid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let version = visible_version(&state, &principal, &app, &vid).await?;
    Ok(yaml(match &version.content {
        VersionContent::Docker { template_file, .. }
        | VersionContent::Kubernetes { template_file, .. } => template_file.as_deref(),
    }))
}
