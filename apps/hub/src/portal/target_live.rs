//! What the target detail fetches besides the page: the agent-log export
//! (the API's file, under the session cookie), and the `/ui/` fragments the
//! script polls (HS §4.1): agent-log rows newer than `after` (10 s) and the
//! two charts (30 s). Not public API, not in the OpenAPI document.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::live_rows::{newer_than, rows_response};
use super::page::{PortalError, html};
use super::session::Session;
use super::target::{LogRow, LogRows, charts};
use crate::state::AppState;
use crate::user_api::parse_id;
use crate::user_api::target_logs::{export_target_logs, target_log_page};

/// `GET /deployment-targets/{id}/logs/export`: the same text file as
/// `GET /api/v1/deployment-targets/{id}/logs/export`.
pub(super) async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    Ok(export_target_logs(&state, &session.principal, parse_id(&id)?).await?)
}

/// `GET /ui/deployment-targets/{id}/logs?after=`: the `<tr>` rows strictly
/// newer than `after`, newest first, with `X-Distr-After` when any.
pub(super) async fn log_rows(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let page = newer_than(&query)?;
    let (logs, _, _) = target_log_page(&state, &session.principal, parse_id(&id)?, page).await?;
    let newest = logs.first().map(|l| l.timestamp);
    Ok(rows_response(
        &LogRows {
            logs: logs.into_iter().map(LogRow::from).collect(),
        },
        newest,
    ))
}

/// `GET /ui/deployment-targets/{id}/charts?range=`: the CPU and memory
/// charts, the same markup as the page's.
pub(super) async fn chart_fragment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let (_, fragment) = charts(
        &state,
        &session.principal,
        parse_id(&id)?,
        query.get("range"),
    )
    .await?;
    Ok(html(&fragment))
}
