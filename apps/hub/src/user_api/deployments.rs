//! `PUT /deployments` (HS §3.8), `GET` and `DELETE /deployments/{id}`.

mod checks;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use distr_domain::deployment::Deployment;
use distr_domain::ids::{ApplicationVersionId, DeploymentId, TargetId};
use distr_domain::target::DeploymentTarget;
use serde::{Deserialize, Deserializer};

use super::assemble::deployment_views;
use super::targets::visible_target;
use super::views::DeploymentView;
use super::{JsonBody, parse_id};
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Distinguishes an absent field (`None`) from `null` (`Some(None)`).
pub(super) fn present_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The body of `PUT /deployments`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PutDeployment {
    #[serde(default)]
    pub(crate) deployment_target_id: Option<TargetId>,
    #[serde(default)]
    pub(crate) deployment_id: Option<DeploymentId>,
    #[serde(default)]
    pub(crate) application_version_id: Option<ApplicationVersionId>,
    #[serde(default)]
    pub(crate) release_name: Option<String>,
    #[serde(default)]
    pub(crate) docker_type: Option<String>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub(crate) values_yaml: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub(crate) env_file_data: Option<Option<String>>,
    #[serde(default)]
    pub(crate) logs_enabled: Option<bool>,
    #[serde(default)]
    pub(crate) force_restart: Option<bool>,
    #[serde(default)]
    pub(crate) ignore_revision_skew: Option<bool>,
}

/// The view of one deployment on `target`.
pub(crate) async fn view_of(
    state: &AppState,
    target: DeploymentTarget,
    id: DeploymentId,
) -> Result<DeploymentView, ApiError> {
    let target_id = target.id;
    let mut views = deployment_views(state, &[target]).await?;
    let list = views.remove(&target_id).unwrap_or_default();
    list.into_iter().find(|v| v.id() == id).ok_or_else(|| {
        tracing::error!(deployment.id = %id, "deployment has no current revision");
        ApiError::internal()
    })
}

#[utoipa::path(
    put,
    operation_id = "putDeployment",
    path = "/api/v1/deployments",
    tag = "deployments",
    summary = "Create or update a deployment (adds a revision)",
    request_body = PutDeployment,
    responses((status = 200, description = "The deployment", body = DeploymentView))
)]
pub(super) async fn put(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<PutDeployment>,
) -> Result<Json<DeploymentView>, ApiError> {
    Ok(Json(put_deployment(&state, &principal, body).await?))
}

/// Creates or updates a deployment (HS §3.8); the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope, 403 for read-only callers, 400 for any
/// failed check.
pub(crate) async fn put_deployment(
    state: &AppState,
    principal: &UserPrincipal,
    body: PutDeployment,
) -> Result<DeploymentView, ApiError> {
    let target_id = body.deployment_target_id.ok_or_else(|| {
        ApiError::validation("deploymentTargetId is required")
            .with_field("/deploymentTargetId", "required")
    })?;
    let target = visible_target(state, principal, target_id).await?;
    principal.require_write()?;
    let planned = checks::plan(state, principal, &target, body).await?;
    let deployment_id = planned.deployment.id;
    if planned.create {
        state
            .store
            .create_deployment(&planned.deployment, &planned.revision)
            .await
            .map_err(|e| match e {
                distr_ports::StoreError::Conflict(_) => checks::release_name_conflict(),
                other => other.into(),
            })?;
    } else {
        state.store.add_revision(&planned.revision).await?;
        if planned.logs_changed {
            state
                .store
                .set_logs_enabled(deployment_id, planned.deployment.logs_enabled)
                .await?;
        }
    }
    state.changes.publish(target.id).await;
    view_of(state, target, deployment_id).await
}

/// Creates `target` and its first deployment for the portal's wizard
/// (HS §4.5): every check of HS §3.8 runs before anything is stored, so a
/// failed validation creates neither, and the store writes the target, the
/// deployment and its first revision in one transaction (all or nothing).
///
/// # Errors
/// As [`put_deployment`].
pub(crate) async fn deploy_to_new_target(
    state: &AppState,
    principal: &UserPrincipal,
    target: DeploymentTarget,
    body: PutDeployment,
) -> Result<DeploymentView, ApiError> {
    principal.require_write()?;
    let planned = checks::plan(state, principal, &target, body).await?;
    // HS §4.5 step 7: the target and its deployment in one transaction.
    state
        .store
        .create_target_with_deployment(&target, &planned.deployment, &planned.revision)
        .await?;
    state.changes.publish(target.id).await;
    let id = planned.deployment.id;
    view_of(state, target, id).await
}

/// Reads a deployment whose target the caller may see; anything else is 404.
pub(crate) async fn find_visible(
    state: &AppState,
    principal: &UserPrincipal,
    raw_id: &str,
) -> Result<(Deployment, DeploymentTarget), ApiError> {
    let id: DeploymentId = parse_id(raw_id)?;
    let deployment = state
        .store
        .find_deployment(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let target = visible_target(state, principal, deployment.deployment_target_id).await?;
    Ok((deployment, target))
}

#[utoipa::path(
    get,
    operation_id = "getDeployment",
    path = "/api/v1/deployments/{id}",
    tag = "deployments",
    summary = "Read one deployment",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 200, description = "The deployment", body = DeploymentView))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Json<DeploymentView>, ApiError> {
    let (deployment, target) = find_visible(&state, &principal, &id).await?;
    Ok(Json(view_of(&state, target, deployment.id).await?))
}

#[utoipa::path(
    delete,
    operation_id = "deleteDeployment",
    path = "/api/v1/deployments/{id}",
    tag = "deployments",
    summary = "Undeploy",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 204, description = "Undeployed"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    undeploy(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Undeploys (HS §2.5); the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope, 403 for read-only callers.
pub(crate) async fn undeploy(
    state: &AppState,
    principal: &UserPrincipal,
    raw_id: &str,
) -> Result<(), ApiError> {
    let (deployment, target) = find_visible(state, principal, raw_id).await?;
    principal.require_write()?;
    state.store.delete_deployment(deployment.id).await?;
    state.changes.publish(target.id).await;
    Ok(())
}
