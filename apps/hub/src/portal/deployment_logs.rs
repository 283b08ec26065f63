//! The Logs tab of `/deployments/{id}` (HS §4.4): a resource selector, then
//! one resource's records with "load older", live append through
//! `/ui/deployments/{id}/logs?resource=` (see [`super::live_rows`]) and the
//! portal's log export. Bodies go through the API's read-time redaction.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use distr_ports::store::{Cursor, PageRequest};

use super::dots::when;
use super::live_rows::{LiveTable, newer_than, rows_response};
use super::page::{PortalError, encode};
use super::session::Session;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::deployment_logs::{export_logs, log_page, log_resources, resource};
use crate::user_api::paging::encode_cursor;

/// One log row.
#[derive(Debug)]
pub(super) struct LogRow {
    id: String,
    time: String,
    severity: String,
    body: String,
}

/// The `<tr data-row-id>` rows of one resource's logs, newest first.
#[derive(Debug, Default, Template)]
#[template(path = "portal/log_rows.html")]
pub(super) struct LogRows {
    pub rows: Vec<LogRow>,
}

/// A resource offered by the selector.
#[derive(Debug)]
pub(super) struct ResourceChoice {
    pub name: String,
    pub selected: bool,
}

/// The Logs tab: the resources, the chosen one's rows, the links and the
/// live attributes. No resources means no logs at all yet.
#[derive(Debug, Default)]
pub(super) struct LogsTab {
    pub resources: Vec<ResourceChoice>,
    pub resource: String,
    pub rows: LogRows,
    pub older: String,
    pub export: String,
    pub live: LiveTable,
}

/// One page of one resource's rows (bodies redacted by `log_page`), the
/// next cursor and the newest row's time.
async fn rows(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    resource: &str,
    page: PageRequest,
) -> Result<(LogRows, Option<Cursor>, Option<DateTime<Utc>>), ApiError> {
    let (views, next, _) = log_page(state, principal, id, resource, page).await?;
    let newest = views.first().map(|l| l.timestamp);
    let rows = views
        .into_iter()
        .map(|l| LogRow {
            id: l.id.to_string(),
            time: when(l.timestamp),
            severity: l.severity,
            body: l.body,
        })
        .collect();
    Ok((LogRows { rows }, next, newest))
}

/// The Logs tab of deployment `id` at `page`, for the `chosen` resource
/// (the first one when none is chosen).
pub(super) async fn logs_tab(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    chosen: Option<&String>,
    page: PageRequest,
) -> Result<LogsTab, ApiError> {
    let names = log_resources(state, principal, id).await?;
    let Some(resource) = chosen
        .filter(|r| !r.is_empty())
        .or_else(|| names.first())
        .cloned()
    else {
        return Ok(LogsTab::default());
    };
    let (rows, next, newest) = rows(state, principal, id, &resource, page).await?;
    let query = format!("resource={}", encode(&resource));
    Ok(LogsTab {
        resources: names
            .into_iter()
            .map(|name| ResourceChoice {
                selected: name == resource,
                name,
            })
            .collect(),
        older: next.map_or_else(String::new, |c| {
            format!(
                "/deployments/{id}?tab=logs&{query}&cursor={}",
                encode_cursor(c)
            )
        }),
        export: format!("/deployments/{id}/logs/export?{query}"),
        live: LiveTable::new(
            page.before.is_none(),
            format!("/ui/deployments/{id}/logs?{query}"),
            newest,
        ),
        resource,
        rows,
    })
}

/// `GET /ui/deployments/{id}/logs?resource=&after=`: one resource's rows
/// newer than `after`, for live append.
pub(super) async fn live(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let page = newer_than(&query)?;
    let resource = resource(&query)?;
    let (rows, _, newest) = rows(&state, &session.principal, &id, resource, page).await?;
    Ok(rows_response(&rows, newest))
}

/// `GET /deployments/{id}/logs/export?resource=`: the API's log export,
/// under the portal session.
pub(super) async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let resource = resource(&query)?;
    Ok(export_logs(&state, &session.principal, &id, resource).await?)
}
