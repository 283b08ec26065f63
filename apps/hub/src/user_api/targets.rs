//! `/deployment-targets` (HS §3.4, §3.6): create, list and read targets.
//! Customers see and create only their own customer's targets.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use distr_domain::ids::{AgentVersionId, CustomerOrganizationId, TargetId};
use distr_domain::names::Name;
use distr_domain::target::{AgentResources, DeploymentTarget, KubernetesScope, TargetKind};
use distr_domain::validation::Namespace;
use serde::Deserialize;

use super::assemble::target_views;
use super::views::TargetView;
use super::{JsonBody, parse_id};
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Reads a target the caller may see; anything else is 404.
pub(crate) async fn visible_target(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
) -> Result<DeploymentTarget, ApiError> {
    let target = state
        .store
        .get_target(principal.organization_id, id)
        .await?;
    if principal.can_see(target.customer_organization_id) {
        Ok(target)
    } else {
        Err(ApiError::not_found())
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct IdRef<T> {
    pub(crate) id: T,
}

// The body of `POST /deployment-targets` (no doc comment: it would change the OpenAPI document).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateTarget {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default, rename = "type")]
    pub(crate) target_type: String,
    #[serde(default)]
    pub(crate) namespace: Option<String>,
    #[serde(default)]
    pub(crate) scope: Option<String>,
    #[serde(default)]
    pub(crate) metrics_enabled: Option<bool>,
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::AgentResources>)]
    pub(crate) resources: Option<AgentResources>,
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::IdRef>)]
    pub(crate) customer_organization: Option<IdRef<CustomerOrganizationId>>,
}

/// A Kubernetes quantity such as `100m`, `0.5`, `128Mi` or `1e3`.
pub(super) fn is_quantity(q: &str) -> bool {
    let digits_end = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(q.len());
    let (number, suffix) = q.split_at(digits_end);
    let number_ok = !number.is_empty() && number != "." && number.matches('.').count() <= 1;
    let suffix_ok = matches!(
        suffix,
        "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"
    ) || suffix.strip_prefix(['e', 'E']).is_some_and(|exp| {
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit())
    });
    number_ok && suffix_ok
}

fn kind(body: &CreateTarget, err: &mut ApiError) -> Option<TargetKind> {
    match body.target_type.as_str() {
        "docker" => {
            if body.namespace.is_some() {
                err.push_field("/namespace", "not allowed for docker targets");
            }
            if body.scope.is_some() {
                err.push_field("/scope", "not allowed for docker targets");
            }
            if body.resources.is_some() {
                err.push_field("/resources", "not allowed for docker targets");
            }
            Some(TargetKind::Docker)
        }
        "kubernetes" => {
            let namespace = match Namespace::parse(body.namespace.as_deref().unwrap_or_default()) {
                Ok(ns) => Some(ns.as_str().to_owned()),
                Err(e) => {
                    err.push_field("/namespace", e.reason);
                    None
                }
            };
            let scope = match body.scope.as_deref().map(str::parse::<KubernetesScope>) {
                Some(Ok(scope)) => Some(scope),
                Some(Err(e)) => {
                    err.push_field("/scope", e.reason);
                    None
                }
                None => {
                    err.push_field("/scope", "required: cluster or namespace");
                    None
                }
            };
            if let Some(r) = &body.resources {
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
            Some(TargetKind::Kubernetes {
                namespace: namespace?,
                scope: scope?,
            })
        }
        _ => {
            err.push_field("/type", "must be docker or kubernetes");
            None
        }
    }
}

/// The Hub's registered agent version: the default desired version.
async fn hub_agent_version(state: &AppState) -> Result<AgentVersionId, ApiError> {
    let name = &state.config.hub_agent_version;
    if let Some(v) = state.store.find_agent_version_by_name(name).await? {
        return Ok(v.id);
    }
    let v = crate::server::register_agent_version(
        state.store.as_ref(),
        state.clock.as_ref(),
        name,
        None,
        None,
    )
    .await?;
    Ok(v.id)
}

#[utoipa::path(
    post,
    operation_id = "createDeploymentTarget",
    path = "/api/v1/deployment-targets",
    tag = "deployment-targets",
    summary = "Create a deployment target",
    request_body = CreateTarget,
    responses((status = 201, description = "Created", body = TargetView))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<CreateTarget>,
) -> Result<(StatusCode, Json<TargetView>), ApiError> {
    let target = validate_new_target(&state, &principal, body).await?;
    state.store.create_target(&target).await?;
    let mut views = target_views(&state, vec![target]).await?;
    let view = views.pop().ok_or_else(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The owner of a new target (HS §2.3): a customer caller's own customer
/// whatever was requested; for a vendor the requested customer when it is
/// one of the organization's, `None` (Internal) when none was requested.
/// The inner `Err` is the reason an unknown or foreign customer is refused.
///
/// # Errors
/// Store failures.
pub(crate) async fn new_target_owner(
    state: &AppState,
    principal: &UserPrincipal,
    requested: Option<CustomerOrganizationId>,
) -> Result<Result<Option<CustomerOrganizationId>, &'static str>, ApiError> {
    Ok(match (principal.customer_organization_id, requested) {
        // Customer-created objects are always the caller's customer's.
        (Some(own), _) => Ok(Some(own)),
        (None, Some(id)) => match state
            .store
            .get_customer(principal.organization_id, id)
            .await
        {
            Ok(_) => Ok(Some(id)),
            Err(distr_ports::StoreError::NotFound) => Err("no such customer organization"),
            Err(e) => return Err(e.into()),
        },
        (None, None) => Ok(None),
    })
}

/// Validates a new target (HS §2.2) and builds it without storing it;
/// customer callers always own what they create. The API and the portal's
/// wizard share it.
///
/// # Errors
/// 403 for read-only callers; 400 `validation-error` with `errors[]`.
pub(crate) async fn validate_new_target(
    state: &AppState,
    principal: &UserPrincipal,
    body: CreateTarget,
) -> Result<DeploymentTarget, ApiError> {
    principal.require_write()?;
    let mut err = ApiError::validation("invalid deployment target");
    let name = Name::parse("name", &body.name)
        .map_err(|e| err.push_field("/name", e.reason))
        .ok();
    let kind = kind(&body, &mut err);
    let requested = body.customer_organization.as_ref().map(|r| r.id);
    let owner = new_target_owner(state, principal, requested)
        .await?
        .unwrap_or_else(|reason| {
            err.push_field("/customerOrganization/id", reason);
            None
        });
    let namespace_scoped = kind.as_ref().is_some_and(|k| !k.allows_node_metrics());
    if namespace_scoped && body.metrics_enabled == Some(true) {
        err.push_field("/metricsEnabled", "node metrics need cluster scope");
    }
    let (Some(name), Some(kind)) = (name, kind) else {
        return Err(err);
    };
    if !err.errors.is_empty() {
        return Err(err);
    }
    let target = DeploymentTarget {
        id: TargetId::from_uuid(uuid::Uuid::now_v7()),
        organization_id: principal.organization_id,
        customer_organization_id: owner,
        created_at: state.clock.now(),
        name,
        metrics_enabled: body.metrics_enabled.unwrap_or(!namespace_scoped),
        resources: body
            .resources
            .filter(|_| matches!(kind, TargetKind::Kubernetes { .. })),
        kind,
        agent_version_id: hub_agent_version(state).await?,
        reported_agent_version_id: None,
        secret: None,
        heartbeat: None,
    };
    Ok(target)
}

#[utoipa::path(
    get,
    operation_id = "listDeploymentTargets",
    path = "/api/v1/deployment-targets",
    tag = "deployment-targets",
    summary = "List deployment targets",
    responses((status = 200, description = "Targets with their deployments", body = Vec<TargetView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<Vec<TargetView>>, ApiError> {
    Ok(Json(list_visible(&state, &principal).await?))
}

/// The views of every target the caller may see, in HS §3.4 order.
///
/// # Errors
/// Store failures.
pub(crate) async fn list_visible(
    state: &AppState,
    principal: &UserPrincipal,
) -> Result<Vec<TargetView>, ApiError> {
    let targets = state
        .store
        .list_targets(
            principal.organization_id,
            principal.customer_organization_id,
        )
        .await?;
    let visible = targets
        .into_iter()
        .filter(|t| principal.can_see(t.customer_organization_id))
        .collect();
    target_views(state, visible).await
}

#[utoipa::path(
    get,
    operation_id = "getDeploymentTarget",
    path = "/api/v1/deployment-targets/{id}",
    tag = "deployment-targets",
    summary = "Read one deployment target",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 200, description = "The target", body = TargetView))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Json<TargetView>, ApiError> {
    Ok(Json(view_one(&state, &principal, parse_id(&id)?).await?))
}

/// The view of one target the caller may see.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn view_one(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
) -> Result<TargetView, ApiError> {
    let target = visible_target(state, principal, id).await?;
    let mut views = target_views(state, vec![target]).await?;
    views.pop().ok_or_else(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::is_quantity;

    #[test]
    fn kubernetes_quantities_are_recognised() {
        for ok in ["100m", "0.5", "128Mi", "1Gi", "2", "1e3"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["", "abc", "1.2.3", "10 Mi", "-1", "1X"] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }
}
