//! `PUT` and `DELETE /deployment-targets/{id}` (HS §2.2, §2.5, §3.4): only
//! `name`, `metricsEnabled`, `resources` and the desired agent version
//! change; deleting refuses a target with deployments unless forced.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use distr_domain::ids::{AgentVersionId, CustomerOrganizationId, TargetId};
use distr_domain::names::Name;
use distr_domain::target::{AgentResources, DeploymentTarget, TargetKind};
use serde::Deserialize;

use super::assemble::target_views;
use super::targets::{IdRef, is_quantity, visible_target};
use super::views::TargetView;
use super::{JsonBody, parse_id};
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// The body of `PUT /deployment-targets/{id}`. The immutable fields are read
/// only to refuse a change of them.
#[derive(Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateTarget {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) metrics_enabled: Option<bool>,
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::AgentResources>)]
    pub(crate) resources: Option<AgentResources>,
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::IdRef>)]
    pub(crate) agent_version: Option<IdRef<AgentVersionId>>,
    #[serde(default, rename = "type")]
    pub(crate) target_type: Option<String>,
    #[serde(default)]
    pub(crate) namespace: Option<String>,
    #[serde(default)]
    pub(crate) scope: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::IdRef>)]
    pub(crate) customer_organization: Option<IdRef<CustomerOrganizationId>>,
}

/// Pointers of immutable fields the body tries to change.
fn immutable_changes(target: &DeploymentTarget, body: &UpdateTarget) -> Vec<&'static str> {
    let (kind, namespace, scope) = match &target.kind {
        TargetKind::Docker => ("docker", None, None),
        TargetKind::Kubernetes { namespace, scope } => {
            ("kubernetes", Some(namespace.as_str()), Some(scope.as_str()))
        }
    };
    let mut changed = Vec::new();
    if body.target_type.as_deref().is_some_and(|t| t != kind) {
        changed.push("/type");
    }
    if body.namespace.is_some() && body.namespace.as_deref() != namespace {
        changed.push("/namespace");
    }
    if body.scope.is_some() && body.scope.as_deref() != scope {
        changed.push("/scope");
    }
    if body
        .customer_organization
        .as_ref()
        .is_some_and(|c| Some(c.id) != target.customer_organization_id)
    {
        changed.push("/customerOrganization/id");
    }
    changed
}

fn check_resources(target: &DeploymentTarget, body: &UpdateTarget, err: &mut ApiError) {
    let Some(r) = &body.resources else { return };
    if matches!(target.kind, TargetKind::Docker) {
        err.push_field("/resources", "not allowed for docker targets");
        return;
    }
    for (pointer, q) in [
        ("/resources/cpuRequest", &r.cpu_request),
        ("/resources/memoryRequest", &r.memory_request),
        ("/resources/cpuLimit", &r.cpu_limit),
        ("/resources/memoryLimit", &r.memory_limit),
    ] {
        if !is_quantity(q) {
            err.push_field(pointer, "not a Kubernetes quantity");
        }
    }
}

#[utoipa::path(
    put,
    operation_id = "updateDeploymentTarget",
    path = "/api/v1/deployment-targets/{id}",
    tag = "deployment-targets",
    summary = "Update a deployment target",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    request_body = UpdateTarget,
    responses((status = 200, description = "The updated target", body = TargetView))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdateTarget>,
) -> Result<Json<TargetView>, ApiError> {
    update_target(&state, &principal, parse_id(&id)?, body)
        .await
        .map(Json)
}

/// Applies `body` to the target `id` (HS §2.2): name, metrics, resources and
/// the desired agent version; the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope, 403 for readers, 400 with `errors[]`.
pub(crate) async fn update_target(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
    body: UpdateTarget,
) -> Result<TargetView, ApiError> {
    let mut target = visible_target(state, principal, id).await?;
    principal.require_write()?;
    let immutable = immutable_changes(&target, &body);
    if !immutable.is_empty() {
        let mut err = ApiError::new(
            StatusCode::BAD_REQUEST,
            "immutable-field",
            "the owner, type, namespace and scope cannot change",
        );
        for pointer in immutable {
            err.push_field(pointer, "immutable");
        }
        return Err(err);
    }
    let mut err = ApiError::validation("invalid deployment target");
    let name = Name::parse("name", &body.name)
        .map_err(|e| err.push_field("/name", e.reason))
        .ok();
    let namespace_scoped = !target.kind.allows_node_metrics();
    if namespace_scoped && body.metrics_enabled == Some(true) {
        err.push_field("/metricsEnabled", "node metrics need cluster scope");
    }
    check_resources(&target, &body, &mut err);
    let agent_version = match &body.agent_version {
        None => Some(target.agent_version_id),
        Some(IdRef { id }) => match state.store.get_agent_version(*id).await {
            Ok(v) => Some(v.id),
            Err(distr_ports::StoreError::NotFound) => {
                err.push_field("/agentVersion/id", "no such agent version");
                None
            }
            Err(e) => return Err(e.into()),
        },
    };
    let (Some(name), Some(agent_version)) = (name, agent_version) else {
        return Err(err);
    };
    if !err.errors.is_empty() {
        return Err(err);
    }
    let version_changed = agent_version != target.agent_version_id;
    target.name = name;
    target.metrics_enabled = body.metrics_enabled.unwrap_or(target.metrics_enabled);
    target.resources = body.resources;
    target.agent_version_id = agent_version;
    state.store.update_target(&target).await?;
    if version_changed {
        // The agent learns its new desired version on its next (woken) poll.
        state.changes.publish(target.id).await;
    }
    let mut views = target_views(state, vec![target]).await?;
    views.pop().ok_or_else(ApiError::internal)
}

#[utoipa::path(
    delete,
    operation_id = "deleteDeploymentTarget",
    path = "/api/v1/deployment-targets/{id}",
    tag = "deployment-targets",
    summary = "Delete a deployment target",
    params(("id" = uuid::Uuid, Path, description = "The object id"), ("force" = Option<bool>, Query, description = "Delete its deployments too")),
    responses((status = 204, description = "Deleted"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<StatusCode, ApiError> {
    let force = match query.get("force").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::bad_request("force must be true or false")),
    };
    delete_target(&state, &principal, parse_id(&id)?, force).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes the target `id`; with `force` its deployments go with it,
/// otherwise a target with deployments gets 409 `not-empty`. The API and the
/// portal share it.
///
/// # Errors
/// 404 outside the caller's scope, 403 for readers, 409 `not-empty`.
pub(crate) async fn delete_target(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
    force: bool,
) -> Result<(), ApiError> {
    let target = visible_target(state, principal, id).await?;
    principal.require_write()?;
    if !force {
        let deployments = state
            .store
            .list_deployments_of_targets(&[target.id])
            .await?;
        if !deployments.is_empty() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "not-empty",
                "the deployment target still has deployments",
            ));
        }
    }
    state
        .store
        .delete_target(principal.organization_id, target.id)
        .await?;
    // A waiting long poll wakes up and then meets 401 (AP §2.4).
    state.changes.publish(target.id).await;
    Ok(())
}
