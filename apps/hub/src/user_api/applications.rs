//! `/applications` (HS §3.4): vendor writers create, everyone in the
//! organization reads (customers read-only).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use distr_domain::application::{Application, PlatformType};
use distr_domain::ids::ApplicationId;
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
