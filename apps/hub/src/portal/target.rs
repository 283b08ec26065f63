//! `/deployment-targets/{id}`, the target detail (HS §4.4): heartbeat, the
//! agent version with "Update agent to X", the edit form, server-drawn CPU
//! and memory charts over 1 h, 6 h, 24 h or 7 d, the deployments, the agent's
//! own logs with "load older" and live append, and delete. The POST handlers
//! live in `target_edit.rs` and `target_delete.rs`, the `/ui/` fragments and
//! the export in `target_live.rs`.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::TimeDelta;
use distr_domain::ids::TargetId;

use super::chart::usage_chart;
use super::dots::{ago, target_dot, when};
use super::live_rows::LiveTable;
use super::overview::{DeploymentRow, deployment_row};
use super::page::{Chrome, FormError, PortalError, html_with};
use super::session::Session;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::agent_versions::{latest_agent_version, update_available};
use crate::user_api::metrics::metrics_series;
use crate::user_api::paging::{encode_cursor, page_request};
use crate::user_api::parse_id;
use crate::user_api::target_logs::{TargetLogView, target_log_page};
use crate::user_api::targets::view_one;
use crate::user_api::views::TargetView;

/// The chart ranges offered (HS §4.4).
const RANGES: [(&str, i64); 4] = [("1h", 1), ("6h", 6), ("24h", 24), ("7d", 168)];

/// Why the metrics switch is disabled for namespace-scoped targets; the API
/// refuses the same (`/metricsEnabled`).
const NAMESPACE_METRICS: &str = "Metrics are not available: node metrics need cluster scope, and this target is namespace-scoped.";

/// One agent log line.
#[derive(Debug)]
pub(super) struct LogRow {
    id: String,
    time: String,
    severity: String,
    body: String,
}

impl From<TargetLogView> for LogRow {
    fn from(l: TargetLogView) -> Self {
        Self {
            id: l.id.to_string(),
            time: when(l.timestamp),
            severity: l.severity,
            body: l.body,
        }
    }
}

/// The agent-log rows, written once for the page and `/ui/` (live append).
#[derive(Template)]
#[template(path = "portal/target_log_rows.html")]
pub(super) struct LogRows {
    pub(super) logs: Vec<LogRow>,
}

/// The two charts, written once for the page and `/ui/` (30 s refresh).
#[derive(Template)]
#[template(path = "portal/target_charts.html")]
pub(super) struct Charts {
    pub(super) cpu_chart: String,
    pub(super) memory_chart: String,
}

/// The range named `key` (default 1 h) and the charts over it.
pub(super) async fn charts(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
    key: Option<&String>,
) -> Result<(&'static str, Charts), ApiError> {
    let (range, hours) = RANGES
        .iter()
        .copied()
        .find(|(name, _)| key.is_some_and(|r| r == name))
        .unwrap_or(RANGES[0]);
    let now = state.clock.now();
    let from = now - TimeDelta::hours(hours);
    let (_, points) = metrics_series(state, principal, id, from, now, 120).await?;
    let cpu: Vec<_> = points.iter().map(|p| (p.time, p.cpu_usage)).collect();
    let memory: Vec<_> = points.iter().map(|p| (p.time, p.memory_usage)).collect();
    Ok((
        range,
        Charts {
            cpu_chart: usage_chart("CPU usage", "line-cpu", from, now, &cpu),
            memory_chart: usage_chart("Memory usage", "line-mem", from, now, &memory),
        },
    ))
}

/// The edit form's fields, from the target or as the user typed them.
#[derive(Debug, Clone, Default)]
pub(super) struct EditInput {
    pub(super) name: String,
    pub(super) metrics: bool,
    pub(super) cpu_request: String,
    pub(super) memory_request: String,
    pub(super) cpu_limit: String,
    pub(super) memory_limit: String,
}

impl EditInput {
    fn of(t: &TargetView) -> Self {
        let r = t.resources.clone();
        let (cpu_request, memory_request, cpu_limit, memory_limit) = r
            .map_or_else(Default::default, |r| {
                (r.cpu_request, r.memory_request, r.cpu_limit, r.memory_limit)
            });
        Self {
            name: t.name.clone(),
            metrics: t.metrics_enabled,
            cpu_request,
            memory_request,
            cpu_limit,
            memory_limit,
        }
    }
}

/// What a re-rendered page carries besides the stored state.
#[derive(Debug, Default)]
pub(super) struct Extra {
    /// The edit input to keep after a refused save.
    pub(super) edit: Option<EditInput>,
    pub(super) edit_error: FormError,
    pub(super) agent_error: FormError,
    pub(super) delete_error: FormError,
    /// The typed confirmation to keep after a refused force delete.
    pub(super) confirm: String,
}

fn notice_text(key: Option<&String>) -> String {
    match key.map(String::as_str) {
        Some("saved") => "Target saved.",
        Some("agent-update") => {
            "Agent update requested: the agent updates itself on its next poll."
        }
        _ => "",
    }
    .to_owned()
}

#[derive(Template)]
#[template(path = "portal/target.html")]
struct TargetPage {
    chrome: Chrome,
    t: TargetView,
    colour: &'static str,
    label: &'static str,
    heartbeat: String,
    notice: String,
    range: &'static str,
    ranges: Vec<&'static str>,
    cpu_chart: String,
    memory_chart: String,
    deployments: Vec<DeploymentRow>,
    logs: Vec<LogRow>,
    older: String,
    /// The live-append attributes (first page only).
    live: LiveTable,
    /// The newer agent version offered, or "".
    latest: String,
    kubernetes: bool,
    metrics_block: &'static str,
    edit: EditInput,
    edit_error: FormError,
    agent_error: FormError,
    delete_error: FormError,
    confirm: String,
}

/// Renders the detail page of the target `id` with `status`.
pub(super) async fn render(
    state: &AppState,
    session: &Session,
    id: TargetId,
    query: &HashMap<String, String>,
    status: StatusCode,
    extra: Extra,
) -> Result<Response, PortalError> {
    let principal = &session.principal;
    let t = view_one(state, principal, id).await?;
    let now = state.clock.now();
    let (range, charts) = charts(state, principal, t.id, query.get("range")).await?;
    let mut paging = HashMap::new();
    let cursor = query.get("cursor").filter(|c| !c.is_empty());
    if let Some(cursor) = cursor {
        paging.insert("cursor".to_owned(), cursor.clone());
    }
    let (logs, next, _) = target_log_page(state, principal, t.id, page_request(&paging)?).await?;
    let live = LiveTable::new(
        cursor.is_none(),
        format!("/ui/deployment-targets/{}/logs", t.id),
        logs.first().map(|l| l.timestamp),
    );
    let latest = latest_agent_version(state).await?;
    let dot = target_dot(t.connection_state);
    let page = TargetPage {
        chrome: Chrome::new(state, session, "deployments"),
        colour: dot.colour,
        label: dot.label,
        heartbeat: t.current_status.as_ref().map_or_else(
            || "The agent has never connected.".to_owned(),
            |s| format!("{} · last seen {}", s.message, ago(now, s.created_at)),
        ),
        notice: notice_text(query.get("notice")),
        range,
        ranges: RANGES.iter().map(|(name, _)| *name).collect(),
        cpu_chart: charts.cpu_chart,
        memory_chart: charts.memory_chart,
        deployments: t
            .deployments
            .iter()
            .map(|d| deployment_row(d, now))
            .collect(),
        logs: logs.into_iter().map(LogRow::from).collect(),
        older: next.map(encode_cursor).unwrap_or_default(),
        live,
        latest: latest
            .filter(|l| update_available(Some(l), &t.agent_version.name))
            .map(|l| l.name)
            .unwrap_or_default(),
        kubernetes: t.target_type == "kubernetes",
        metrics_block: if t.scope == Some("namespace") {
            NAMESPACE_METRICS
        } else {
            ""
        },
        edit: extra.edit.unwrap_or_else(|| EditInput::of(&t)),
        edit_error: extra.edit_error,
        agent_error: extra.agent_error,
        delete_error: extra.delete_error,
        confirm: extra.confirm,
        t,
    };
    Ok(html_with(status, &page))
}

pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let id = parse_id(&id)?;
    render(
        &state,
        &session,
        id,
        &query,
        StatusCode::OK,
        Extra::default(),
    )
    .await
}
