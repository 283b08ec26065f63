//! The Status log tab of `/deployments/{id}` (HS §4.4): its rows, shared by
//! the page and the live append endpoint `/ui/deployments/{id}/status`
//! (see [`super::live_rows`]), and the portal's status export.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use distr_ports::store::{Cursor, PageRequest};

use super::dots::{deployment_dot, when};
use super::live_rows::{LiveTable, newer_than, rows_response};
use super::page::PortalError;
use super::session::Session;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::deployment_history::export_status;
use crate::user_api::paging::encode_cursor;
use crate::user_api::status::status_page;

/// One status-log row.
#[derive(Debug)]
pub(super) struct StatusRow {
    id: String,
    first: String,
    last: String,
    revision: String,
    colour: &'static str,
    kind: &'static str,
    message: String,
}

/// The `<tr data-row-id>` rows of the status log, newest first.
#[derive(Debug, Default, Template)]
#[template(path = "portal/status_rows.html")]
pub(super) struct StatusRows {
    pub rows: Vec<StatusRow>,
}

/// The Status log tab: its rows, the "load older" cursor and the live
/// attributes.
#[derive(Debug, Default)]
pub(super) struct StatusTab {
    pub rows: StatusRows,
    pub older: String,
    pub live: LiveTable,
}

/// One page of status rows (messages redacted by `status_page`), the next
/// cursor and the newest row's last-reported time.
async fn rows(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    page: PageRequest,
) -> Result<(StatusRows, Option<Cursor>, Option<DateTime<Utc>>), ApiError> {
    let (views, next, _) = status_page(state, principal, id, page).await?;
    let newest = views.first().map(|s| s.created_at);
    let rows = views
        .into_iter()
        .map(|s| StatusRow {
            id: s.id.to_string(),
            first: when(s.first_reported_at),
            last: when(s.created_at),
            revision: s
                .deployment_revision_id
                .to_string()
                .chars()
                .take(8)
                .collect(),
            colour: deployment_dot(s.status_type).colour,
            kind: s.status_type,
            message: s.message,
        })
        .collect();
    Ok((StatusRows { rows }, next, newest))
}

/// The Status log tab of deployment `id` at `page`.
pub(super) async fn status_tab(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    page: PageRequest,
) -> Result<StatusTab, ApiError> {
    let (rows, next, newest) = rows(state, principal, id, page).await?;
    let url = format!("/ui/deployments/{id}/status");
    Ok(StatusTab {
        rows,
        older: next.map(encode_cursor).unwrap_or_default(),
        live: LiveTable::new(page.before.is_none(), url, newest),
    })
}

/// `GET /ui/deployments/{id}/status?after=`: the status rows newer than
/// `after` (a moved coalesced row included), for live append.
pub(super) async fn live(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let page = newer_than(&query)?;
    let (rows, _, newest) = rows(&state, &session.principal, &id, page).await?;
    Ok(rows_response(&rows, newest))
}

/// `GET /deployments/{id}/status/export`: the API's status export, under
/// the portal session.
pub(super) async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    Ok(export_status(&state, &session.principal, &id).await?)
}
