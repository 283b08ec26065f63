//! `/deployments/{id}`, the deployment detail (HS §4.4): the Status log
//! ([`super::deployment_status`]), Logs ([`super::deployment_logs`]) and
//! Revisions tabs with "load older", and the forms of §4.5 (update, force
//! restart gated on the agent version, the logs toggle, undeploy), whose
//! POSTs live in [`super::deployment_update`] and answer through [`render`].

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use distr_ports::store::PageRequest;

use super::deployment_logs::{LogsTab, logs_tab};
use super::deployment_status::{StatusTab, status_tab};
use super::dots::{Gate, deployment_dot, when};
use super::overview::notice_text;
use super::page::{Chrome, FormError, PortalError};
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::assemble::newer_version;
use crate::user_api::deployment_history::revision_page;
use crate::user_api::deployments::{find_visible, view_of};
use crate::user_api::paging::{encode_cursor, page_request};
use crate::user_api::targets::view_one;
use crate::user_api::views::{DeploymentView, TargetView};

/// One revision row.
#[derive(Debug)]
struct RevisionRow {
    time: String,
    author: String,
    trigger: &'static str,
    version: String,
    flags: String,
    raw: String,
}

/// The Update form's input: the current version and raw config, or what
/// the user sent when a refused update answers.
#[derive(Debug, Clone, Default)]
pub(super) struct UpdateInput {
    /// The chosen version id.
    pub version: String,
    /// The raw env file or values.
    pub config: String,
    /// "Force restart" checked.
    pub force_restart: bool,
    /// "Ignore revision skew" checked (kubernetes).
    pub ignore_revision_skew: bool,
}

/// What a POST answer shows inline: the Update form's input and error, or
/// the undeploy confirmation's error.
#[derive(Debug, Default)]
pub(super) struct Answer {
    /// The user's input of a refused update (the form is open).
    pub update: Option<UpdateInput>,
    /// Why the update was refused.
    pub update_error: FormError,
    /// Why the undeploy was refused.
    pub undeploy_error: FormError,
}

/// A version offered by the update form.
#[derive(Debug)]
pub(crate) struct VersionChoice {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "portal/deployment.html")]
struct DetailPage {
    chrome: Chrome,
    d: DeploymentView,
    t: TargetView,
    colour: &'static str,
    label: &'static str,
    mode: String,
    tab: String,
    status: StatusTab,
    logs: LogsTab,
    revisions: Vec<RevisionRow>,
    older: String,
    notice: String,
    versions: Vec<VersionChoice>,
    kubernetes: bool,
    open_update: bool,
    input: UpdateInput,
    update_error: FormError,
    undeploy_error: FormError,
    restart_block: String,
    logs_block: String,
    undeploy_block: String,
}

fn decode(b64_text: Option<&String>) -> String {
    b64_text
        .and_then(|t| STANDARD.decode(t).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The gate's tooltip when `target`'s agent fails it, else "".
pub(super) fn blocked(gate: Gate, t: &TargetView) -> String {
    if gate.allows(
        t.reported_agent_version_name.as_deref(),
        &t.agent_version.name,
    ) {
        String::new()
    } else {
        gate.reason()
    }
}

/// One page of revision rows and the "load older" cursor.
async fn revision_rows(
    state: &AppState,
    session: &Session,
    id: &str,
    page: &PageRequest,
) -> Result<(Vec<RevisionRow>, String), ApiError> {
    let (rows, next, _) = revision_page(state, &session.principal, id, page).await?;
    let revisions = rows
        .into_iter()
        .map(|r| {
            let mut flags = Vec::new();
            if r.force_restart {
                flags.push("force restart");
            }
            if r.ignore_revision_skew {
                flags.push("ignore revision skew");
            }
            RevisionRow {
                time: when(r.created_at),
                author: r.created_by.map(|u| u.name).unwrap_or_default(),
                trigger: r.trigger,
                version: r.application_version_name,
                flags: flags.join(", "),
                raw: decode(r.values_yaml.as_ref().or(r.env_file_data.as_ref())),
            }
        })
        .collect();
    Ok((revisions, next.map(encode_cursor).unwrap_or_default()))
}

pub(super) async fn load(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<(DeploymentView, TargetView), PortalError> {
    let (deployment, target) = find_visible(state, &session.principal, id).await?;
    let t = view_one(state, &session.principal, target.id).await?;
    let d = view_of(state, target, deployment.id).await?;
    Ok((d, t))
}

pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    render(
        &state,
        &session,
        &id,
        &query,
        StatusCode::OK,
        Answer::default(),
    )
    .await
}

/// The versions the update form offers, newest first: the non-archived ones
/// and the current one, marked "(current)", and "(newer)" by the overview's
/// "update available" rule.
async fn version_choices(
    state: &AppState,
    d: &DeploymentView,
    chosen: &str,
) -> Result<Vec<VersionChoice>, ApiError> {
    let all = state.store.list_versions(d.application_id).await?;
    let current = all
        .iter()
        .find(|v| v.id == d.application_version_id)
        .cloned();
    Ok(all
        .into_iter()
        .filter(|v| v.archived_at.is_none() || v.id == d.application_version_id)
        .rev()
        .map(|v| {
            let tag = if v.id == d.application_version_id {
                " (current)"
            } else if current.as_ref().is_some_and(|c| newer_version(&v, c)) {
                " (newer)"
            } else {
                ""
            };
            let id = v.id.to_string();
            VersionChoice {
                label: format!("{}{tag}", v.name.as_str()),
                selected: id == chosen,
                id,
            }
        })
        .collect())
}

/// Renders the deployment page with `status`, showing `answer` inline.
pub(super) async fn render(
    state: &AppState,
    session: &Session,
    id: &str,
    query: &HashMap<String, String>,
    status_code: StatusCode,
    answer: Answer,
) -> Result<Response, PortalError> {
    let (d, t) = load(state, session, id).await?;
    let tab = match query.get("tab").map(String::as_str) {
        Some("revisions") => "revisions",
        Some("logs") => "logs",
        _ => "status",
    };
    let mut paging = HashMap::new();
    if let Some(cursor) = query.get("cursor") {
        paging.insert("cursor".to_owned(), cursor.clone());
    }
    let page = page_request(&paging)?;
    let (mut status, mut logs, mut revisions) = (StatusTab::default(), LogsTab::default(), None);
    match tab {
        "status" => status = status_tab(state, &session.principal, id, page).await?,
        "logs" => {
            logs = logs_tab(state, &session.principal, id, query.get("resource"), page).await?;
        }
        _ => revisions = Some(revision_rows(state, session, id, &page).await?),
    }
    let (revisions, older) = revisions.unwrap_or_default();
    let open_update = answer.update.is_some();
    let input = answer.update.unwrap_or_else(|| UpdateInput {
        version: d.application_version_id.to_string(),
        config: decode(d.values_yaml.as_ref().or(d.env_file_data.as_ref())),
        ..UpdateInput::default()
    });
    let versions = version_choices(state, &d, &input.version).await?;
    let dot = deployment_dot(d.health);
    let mode = match (&d.release_name, d.docker_type) {
        (Some(r), _) => format!("release {r}"),
        (None, Some("swarm")) => "Swarm".to_owned(),
        (None, _) => "Compose".to_owned(),
    };
    let page = DetailPage {
        chrome: Chrome::new(state, session, "deployments"),
        colour: dot.colour,
        label: dot.label,
        mode,
        tab: tab.to_owned(),
        status,
        logs,
        revisions,
        older,
        notice: notice_text(query.get("notice")),
        versions,
        kubernetes: d.release_name.is_some(),
        open_update,
        input,
        update_error: answer.update_error,
        undeploy_error: answer.undeploy_error,
        restart_block: blocked(Gate::ForceRestart, &t),
        logs_block: blocked(Gate::LogsToggle, &t),
        undeploy_block: blocked(Gate::Undeploy, &t),
        d,
        t,
    };
    Ok(super::page::html_with(status_code, &page))
}
