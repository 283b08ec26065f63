//! `/applications` (HS §3.4): vendor writers create, rename, archive
//! versions in bulk and delete; everyone in the organization reads
//! (customers read-only).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, SubsecRound, Utc};
use distr_domain::application::{Application, PlatformType};
use distr_domain::ids::{ApplicationId, ApplicationVersionId};
use distr_domain::names::Name;
use serde::Deserialize;

use super::views::ApplicationView;
use super::{JsonBody, parse_id};
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct CreateApplication {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default, rename = "type")]
    pub(crate) app_type: String,
}

/// Vendor members with a writing role only.
pub(super) fn require_vendor_writer(principal: &UserPrincipal) -> Result<(), ApiError> {
    principal.require_vendor()?;
    principal.require_write()
}

#[utoipa::path(
    post,
    operation_id = "createApplication",
    path = "/api/v1/applications",
    tag = "applications",
    summary = "Create an application",
    request_body = CreateApplication,
    responses((status = 201, description = "Created", body = ApplicationView))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<CreateApplication>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let view = create_application(&state, &principal, body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Creates an application (vendor writers); the API and the portal share it.
///
/// # Errors
/// 403 for other callers, 400 with `errors[]` for invalid fields.
pub(crate) async fn create_application(
    state: &AppState,
    principal: &UserPrincipal,
    body: CreateApplication,
) -> Result<ApplicationView, ApiError> {
    require_vendor_writer(principal)?;
    let mut err = ApiError::validation("invalid application");
    let name = Name::parse("name", &body.name)
        .map_err(|e| err.push_field("/name", e.reason))
        .ok();
    let app_type = body
        .app_type
        .parse::<PlatformType>()
        .map_err(|e| err.push_field("/type", e.reason))
        .ok();
    let (Some(name), Some(app_type)) = (name, app_type) else {
        return Err(err);
    };
    let app = Application {
        id: ApplicationId::from_uuid(uuid::Uuid::now_v7()),
        organization_id: principal.organization_id,
        created_at: state.clock.now(),
        name,
        app_type,
    };
    state.store.create_application(&app).await?;
    Ok(ApplicationView::new(&app, &[]))
}

#[utoipa::path(
    get,
    operation_id = "listApplications",
    path = "/api/v1/applications",
    tag = "applications",
    summary = "List applications with their versions",
    responses((status = 200, description = "Applications by name", body = Vec<ApplicationView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<Vec<ApplicationView>>, ApiError> {
    Ok(Json(list_views(&state, &principal).await?))
}

/// The organization's applications with their versions, by name.
///
/// # Errors
/// Store failures.
pub(crate) async fn list_views(
    state: &AppState,
    principal: &UserPrincipal,
) -> Result<Vec<ApplicationView>, ApiError> {
    let apps = state
        .store
        .list_applications(principal.organization_id)
        .await?;
    let mut out = Vec::with_capacity(apps.len());
    for app in &apps {
        let versions = state.store.list_versions(app.id).await?;
        out.push(ApplicationView::new(app, &versions));
    }
    Ok(out)
}

#[utoipa::path(
    get,
    operation_id = "getApplication",
    path = "/api/v1/applications/{id}",
    tag = "applications",
    summary = "Read one application",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 200, description = "The application", body = ApplicationView))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Json<ApplicationView>, ApiError> {
    let id: ApplicationId = parse_id(&id)?;
    let app = state
        .store
        .get_application(principal.organization_id, id)
        .await?;
    let versions = state.store.list_versions(app.id).await?;
    Ok(Json(ApplicationView::new(&app, &versions)))
}

/// Body of `PUT /applications/{id}`: the name; `type` only to be refused when it differs.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct UpdateApplication {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "type")]
    app_type: Option<String>,
}

/// One entry of `PATCH`'s `versions`: a null or absent `archivedAt` unarchives.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct VersionArchive {
    #[schema(value_type = uuid::Uuid)]
    id: ApplicationVersionId,
    #[serde(default)]
    archived_at: Option<DateTime<Utc>>,
}

/// Body of `PATCH /applications/{id}`.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct PatchApplication {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    versions: Vec<VersionArchive>,
}

/// The application `raw` names in the caller's organization (404 otherwise).
pub(crate) async fn visible_application(
    state: &AppState,
    principal: &UserPrincipal,
    raw: &str,
) -> Result<Application, ApiError> {
    let id: ApplicationId = parse_id(raw)?;
    Ok(state
        .store
        .get_application(principal.organization_id, id)
        .await?)
}

fn parse_name(raw: &str) -> Result<Name, ApiError> {
    Name::parse("name", raw)
        .map_err(|e| ApiError::validation("invalid application").with_field("/name", e.reason))
}

async fn view_of(state: &AppState, app: &Application) -> Result<ApplicationView, ApiError> {
    let versions = state.store.list_versions(app.id).await?;
    Ok(ApplicationView::new(app, &versions))
}

/// `PUT /applications/{id}`: rename; a different `type` is `immutable-field`.
#[utoipa::path(
    put,
    operation_id = "updateApplication",
    path = "/api/v1/applications/{id}",
    tag = "applications",
    summary = "Rename an application (the type is immutable)",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    request_body = UpdateApplication,
    responses((status = 200, description = "The application", body = ApplicationView))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdateApplication>,
) -> Result<Json<ApplicationView>, ApiError> {
    let view = rename_application(
        &state,
        &principal,
        &id,
        &body.name,
        body.app_type.as_deref(),
    )
    .await?;
    Ok(Json(view))
}

/// Renames the application `raw` names (vendor writers); a `app_type` that
/// differs from the stored one is `immutable-field`. The API and the portal
/// share it.
///
/// # Errors
/// 404 outside the organization, 403 for other callers, 400 for an invalid name.
pub(crate) async fn rename_application(
    state: &AppState,
    principal: &UserPrincipal,
    raw: &str,
    name: &str,
    app_type: Option<&str>,
) -> Result<ApplicationView, ApiError> {
    let mut app = visible_application(state, principal, raw).await?;
    require_vendor_writer(principal)?;
    if app_type.is_some_and(|t| t != app.app_type.as_str()) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "immutable-field",
            "the application type cannot change",
        )
        .with_field("/type", "immutable"));
    }
    app.name = parse_name(name)?;
    state.store.update_application(&app).await?;
    view_of(state, &app).await
}

/// `PATCH /applications/{id}`: optional rename and bulk (un)archiving. Every
/// listed version must belong to the application, or nothing changes.
#[utoipa::path(
    patch,
    operation_id = "patchApplication",
    path = "/api/v1/applications/{id}",
    tag = "applications",
    summary = "Rename an application and archive or unarchive versions in bulk",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    request_body = PatchApplication,
    responses((status = 200, description = "The application", body = ApplicationView))
)]
pub(super) async fn patch(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PatchApplication>,
) -> Result<Json<ApplicationView>, ApiError> {
    let mut app = visible_application(&state, &principal, &id).await?;
    require_vendor_writer(&principal)?;
    let name = body.name.as_deref().map(parse_name).transpose()?;
    let mut versions = state.store.list_versions(app.id).await?;
    let mut err = ApiError::validation("invalid version list");
    let mut changed = Vec::with_capacity(body.versions.len());
    for (i, entry) in body.versions.iter().enumerate() {
        match versions.iter_mut().find(|v| v.id == entry.id) {
            Some(version) => {
                version.archived_at = entry.archived_at.map(|t| t.trunc_subsecs(6));
                changed.push(version.clone());
            }
            None => err.push_field(
                format!("/versions/{i}/id"),
                "no such version of this application",
            ),
        }
    }
    if !err.errors.is_empty() {
        return Err(err);
    }
    if let Some(name) = name {
        app.name = name;
        state.store.update_application(&app).await?;
    }
    for version in &changed {
        state
            .store
            .update_version(principal.organization_id, version)
            .await?;
    }
    Ok(Json(ApplicationView::new(&app, &versions)))
}

/// `DELETE /applications/{id}`: 409 `in-use` while any version is referenced.
#[utoipa::path(
    delete,
    operation_id = "deleteApplication",
    path = "/api/v1/applications/{id}",
    tag = "applications",
    summary = "Delete an application (409 in-use while any version is referenced)",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 204, description = "Deleted with its versions"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    delete_application(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes the application `raw` names with its versions (vendor writers);
/// the API and the portal share it.
///
/// # Errors
/// 404 outside the organization, 403 for other callers, 409 `in-use` while
/// any of its versions is referenced (HS §2.5).
pub(crate) async fn delete_application(
    state: &AppState,
    principal: &UserPrincipal,
    raw: &str,
) -> Result<(), ApiError> {
    let app = visible_application(state, principal, raw).await?;
    require_vendor_writer(principal)?;
    state
        .store
        .delete_application(principal.organization_id, app.id)
        .await?;
    Ok(())
}
