//! Agent logs of a target (HS §3.4-3.6): `GET /deployment-targets/{id}/logs`
//! paginated, and `/logs/export` as text.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use distr_domain::ids::{LogRecordId, TargetId};
use distr_domain::redact::redact;
use distr_domain::telemetry::TargetLogRecord;
use distr_ports::store::{Cursor, PageRequest};
use serde::Serialize;

use super::export::{collect_newest, line, text_response};
use super::paging::{fetch_page, page_request, page_response};
use super::parse_id;
use super::targets::visible_target;
use super::views::ts;
use crate::agent_api::render::redaction_values;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// An agent log record (HS §3.6).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct TargetLogView {
    pub(crate) id: LogRecordId,
    #[serde(serialize_with = "ts")]
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) severity: String,
    pub(crate) body: String,
}

const fn position(r: &TargetLogRecord) -> Cursor {
    Cursor {
        time: r.timestamp,
        id: r.id.as_uuid(),
    }
}

#[utoipa::path(
    get,
    operation_id = "listDeploymentTargetLogs",
    path = "/api/v1/deployment-targets/{id}/logs",
    tag = "deployment-targets",
    summary = "The agent's own logs, newest first",
    params(("id" = uuid::Uuid, Path, description = "The object id"), crate::openapi::PageParams),
    responses((status = 200, description = "One page of log records", body = Vec<TargetLogView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let page = page_request(&query)?;
    let (views, next, target_id) =
        target_log_page(&state, &principal, parse_id(&id)?, page).await?;
    let path = format!("/api/v1/deployment-targets/{target_id}/logs");
    Ok(page_response(views, next, &path, &page, &query, &[]))
}

/// One page of a target's agent logs, newest first, with the cursor of the
/// next page; the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn target_log_page(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
    page: PageRequest,
) -> Result<(Vec<TargetLogView>, Option<Cursor>, TargetId), ApiError> {
    let target = visible_target(state, principal, id).await?;
    let store = state.store.as_ref();
    let records = fetch_page(page, |p| store.list_target_logs(target.id, p), position).await?;
    // HS §2.3: redacted again on read, for secrets added after ingestion.
    let secrets = redaction_values(state, &target).await?;
    let views: Vec<TargetLogView> = records
        .rows
        .into_iter()
        .map(|r| TargetLogView {
            id: r.id,
            timestamp: r.timestamp,
            severity: r.severity,
            body: redact(&r.body, &secrets),
        })
        .collect();
    Ok((views, records.next, target.id))
}

#[utoipa::path(
    get,
    operation_id = "exportDeploymentTargetLogs",
    path = "/api/v1/deployment-targets/{id}/logs/export",
    tag = "deployment-targets",
    summary = "Export the agent's logs as text",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 200, description = "Oldest line first", body = String, content_type = "text/plain"))
)]
pub(super) async fn export(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    export_target_logs(&state, &principal, parse_id(&id)?).await
}

/// The agent-log export of the target `id` as a text file, oldest line
/// first; the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn export_target_logs(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
) -> Result<Response, ApiError> {
    let target = visible_target(state, principal, id).await?;
    let store = state.store.as_ref();
    let (rows, truncated) = collect_newest(
        state.config.export_max_rows,
        |page| store.list_target_logs(target.id, page),
        position,
    )
    .await?;
    let secrets = redaction_values(state, &target).await?;
    let lines = rows
        .iter()
        .map(|r| line(r.timestamp, &r.severity, &redact(&r.body, &secrets)))
        .collect();
    let filename = format!("deployment-target-{}-logs.txt", target.id);
    Ok(text_response(lines, truncated, &filename))
}
