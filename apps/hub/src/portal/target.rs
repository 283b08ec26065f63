//! `/deployment-targets/{id}`, the target detail (HS §4.4): heartbeat,
//! agent versions, server-drawn CPU and memory charts over 1 h, 6 h, 24 h or
//! 7 d, the deployments, and the agent's own logs with "load older".

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::TimeDelta;

use super::chart::usage_chart;
use super::dots::{ago, target_dot, when};
use super::overview::{DeploymentRow, deployment_row};
use super::page::{Chrome, PortalError, html};
use super::session::Session;
use crate::state::AppState;
use crate::user_api::metrics::metrics_series;
use crate::user_api::paging::{encode_cursor, page_request};
use crate::user_api::parse_id;
use crate::user_api::target_logs::target_log_page;
use crate::user_api::targets::view_one;
use crate::user_api::views::TargetView;

/// The chart ranges offered (HS §4.4).
const RANGES: [(&str, i64); 4] = [("1h", 1), ("6h", 6), ("24h", 24), ("7d", 168)];

/// One agent log line.
#[derive(Debug)]
struct LogRow {
    time: String,
    severity: String,
    body: String,
}

#[derive(Template)]
#[template(path = "portal/target.html")]
struct TargetPage {
    chrome: Chrome,
    t: TargetView,
    colour: &'static str,
    label: &'static str,
    heartbeat: String,
    range: &'static str,
    ranges: Vec<&'static str>,
    cpu_chart: String,
    memory_chart: String,
    deployments: Vec<DeploymentRow>,
    logs: Vec<LogRow>,
    older: String,
}

pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let principal = &session.principal;
    let t = view_one(&state, principal, parse_id(&id)?).await?;
    let now = state.clock.now();
    let (range, hours) = RANGES
        .iter()
        .copied()
        .find(|(name, _)| query.get("range").is_some_and(|r| r == name))
        .unwrap_or(RANGES[0]);
    let from = now - TimeDelta::hours(hours);
    let (_, points) = metrics_series(&state, principal, t.id, from, now, 120).await?;
    let cpu: Vec<_> = points.iter().map(|p| (p.time, p.cpu_usage)).collect();
    let memory: Vec<_> = points.iter().map(|p| (p.time, p.memory_usage)).collect();
    let mut paging = HashMap::new();
    if let Some(cursor) = query.get("cursor") {
        paging.insert("cursor".to_owned(), cursor.clone());
    }
    let (logs, next, _) = target_log_page(&state, principal, t.id, page_request(&paging)?).await?;
    let dot = target_dot(t.connection_state);
    Ok(html(&TargetPage {
        chrome: Chrome::new(&state, &session, "deployments"),
        colour: dot.colour,
        label: dot.label,
        heartbeat: t.current_status.as_ref().map_or_else(
            || "The agent has never connected.".to_owned(),
            |s| format!("{} · last seen {}", s.message, ago(now, s.created_at)),
        ),
        range,
        ranges: RANGES.iter().map(|(name, _)| *name).collect(),
        cpu_chart: usage_chart("CPU usage", "line-cpu", from, now, &cpu),
        memory_chart: usage_chart("Memory usage", "line-mem", from, now, &memory),
        deployments: t
            .deployments
            .iter()
            .map(|d| deployment_row(d, now))
            .collect(),
        logs: logs
            .into_iter()
            .map(|l| LogRow {
                time: when(l.timestamp),
                severity: l.severity,
                body: l.body,
            })
            .collect(),
        older: next.map(encode_cursor).unwrap_or_default(),
        t,
    }))
}
