//! Workload logs of a deployment (HS §3.4-3.6): one resource's records,
//! paginated or exported as text, and the distinct resource names.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use distr_domain::ids::{DeploymentId, LogRecordId, RevisionId};
use distr_domain::redact::redact;
use distr_domain::telemetry::DeploymentLogRecord;
use distr_ports::store::{Cursor, PageRequest};
use serde::Serialize;

use super::deployments::find_visible;
use super::export::{collect_newest, line, text_response};
use super::paging::{fetch_page, page_request, page_response};
use super::views::ts;
use crate::agent_api::render::redaction_values;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// A workload log record (HS §3.6).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LogView {
    pub(crate) id: LogRecordId,
    pub(crate) deployment_id: DeploymentId,
    pub(crate) deployment_revision_id: RevisionId,
    pub(crate) resource: String,
    #[serde(serialize_with = "ts")]
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) severity: String,
    pub(crate) body: String,
}

const fn position(r: &DeploymentLogRecord) -> Cursor {
    Cursor {
        time: r.timestamp,
        id: r.id.as_uuid(),
    }
}

/// The required `resource` query parameter.
///
/// # Errors
/// 400 when it is missing or empty.
pub(crate) fn resource(query: &HashMap<String, String>) -> Result<&str, ApiError> {
    query
        .get("resource")
        .map(String::as_str)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::bad_request("the resource query parameter is required"))
}

#[utoipa::path(
    get,
    operation_id = "listDeploymentLogs",
    path = "/api/v1/deployments/{id}/logs",
    tag = "deployments",
    summary = "Container logs of one resource, newest first",
    params(("id" = uuid::Uuid, Path, description = "The object id"), ("resource" = String, Query, description = "The resource (container or service) name"), crate::openapi::PageParams),
    responses((status = 200, description = "One page of log records", body = Vec<LogView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let page = page_request(&query)?;
    let resource = resource(&query)?;
    let (views, next, deployment_id) = log_page(&state, &principal, &id, resource, page).await?;
    let path = format!("/api/v1/deployments/{deployment_id}/logs");
    Ok(page_response(
        views,
        next,
        &path,
        &page,
        &query,
        &["resource"],
    ))
}

/// One page of one resource's log records, bodies redacted, with the cursor
/// of the next page; the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn log_page(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    resource: &str,
    page: PageRequest,
) -> Result<(Vec<LogView>, Option<Cursor>, DeploymentId), ApiError> {
    let (deployment, target) = find_visible(state, principal, id).await?;
    let store = state.store.as_ref();
    let records = fetch_page(
        page,
        |p| store.list_deployment_logs(deployment.id, resource, p),
        position,
    )
    .await?;
    // HS §2.3: redacted again on read, for secrets added after ingestion.
    let secrets = redaction_values(state, &target).await?;
    let views: Vec<LogView> = records
        .rows
        .into_iter()
        .map(|r| LogView {
            id: r.id,
            deployment_id: r.deployment_id,
            deployment_revision_id: r.deployment_revision_id,
            resource: r.resource,
            timestamp: r.timestamp,
            severity: r.severity,
            body: redact(&r.body, &secrets),
        })
        .collect();
    Ok((views, records.next, deployment.id))
}

#[utoipa::path(
    get,
    operation_id = "exportDeploymentLogs",
    path = "/api/v1/deployments/{id}/logs/export",
    tag = "deployments",
    summary = "Export one resource's logs as text",
    params(("id" = uuid::Uuid, Path, description = "The object id"), ("resource" = String, Query, description = "The resource (container or service) name")),
    responses((status = 200, description = "Oldest line first", body = String, content_type = "text/plain"))
)]
pub(super) async fn export(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    export_logs(&state, &principal, &id, resource(&query)?).await
}

/// The text export of one resource's logs (newest `EXPORT_MAX_ROWS`,
/// redacted); the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn export_logs(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    resource: &str,
) -> Result<Response, ApiError> {
    let (deployment, target) = find_visible(state, principal, id).await?;
    let store = state.store.as_ref();
    let (rows, truncated) = collect_newest(
        state.config.export_max_rows,
        |page| store.list_deployment_logs(deployment.id, resource, page),
        position,
    )
    .await?;
    let secrets = redaction_values(state, &target).await?;
    let lines = rows
        .iter()
        .map(|r| line(r.timestamp, &r.severity, &redact(&r.body, &secrets)))
        .collect();
    let filename = format!("deployment-{}-logs.txt", deployment.id);
    Ok(text_response(lines, truncated, &filename))
}

#[utoipa::path(
    get,
    operation_id = "listDeploymentLogResources",
    path = "/api/v1/deployments/{id}/logs/resources",
    tag = "deployments",
    summary = "The resource names that have logs",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 200, description = "Distinct resource names", body = Vec<String>))
)]
pub(super) async fn resources(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Json<Vec<String>>, ApiError> {
    Ok(Json(log_resources(&state, &principal, &id).await?))
}

/// The resource names of a deployment that have logs; the API and the
/// portal share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn log_resources(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<Vec<String>, ApiError> {
    let (deployment, _) = find_visible(state, principal, id).await?;
    Ok(state.store.list_log_resources(deployment.id).await?)
}
