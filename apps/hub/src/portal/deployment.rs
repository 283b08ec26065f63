//! `/deployments/{id}`, the deployment detail (HS §4.4): the Status log
//! ([`super::deployment_status`]), Logs ([`super::deployment_logs`]) and
//! Revisions tabs with "load older", update, force restart (gated on the
//! agent version), the logs toggle and undeploy with a typed confirmation
//! (§4.5).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use distr_ports::store::PageRequest;
use serde::Deserialize;

use super::csrf::{CsrfForm, NoFields};
use super::deployment_logs::{LogsTab, logs_tab};
use super::deployment_status::{StatusTab, status_tab};
use super::dots::{Gate, deployment_dot, when};
use super::overview::notice_text;
use super::page::{Chrome, PortalError, see_other};
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::deployment_history::{revision_page, set_logs_enabled};
use crate::user_api::deployments::{
    PutDeployment, find_visible, put_deployment, undeploy, view_of,
};
use crate::user_api::paging::{encode_cursor, page_request};
use crate::user_api::targets::view_one;
use crate::user_api::views::{DeploymentView, TargetView, b64};

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
    raw_config: String,
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
fn blocked(gate: Gate, t: &TargetView) -> String {
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

async fn load(
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
    let (d, t) = load(&state, &session, &id).await?;
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
        "status" => status = status_tab(&state, &session.principal, &id, page).await?,
        "logs" => {
            logs = logs_tab(&state, &session.principal, &id, query.get("resource"), page).await?;
        }
        _ => revisions = Some(revision_rows(&state, &session, &id, &page).await?),
    }
    let (revisions, older) = revisions.unwrap_or_default();
    let versions = state
        .store
        .list_versions(d.application_id)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .filter(|v| v.archived_at.is_none() || v.id == d.application_version_id)
        .rev()
        .map(|v| VersionChoice {
            label: if v.id == d.application_version_id {
                format!("{} (current)", v.name.as_str())
            } else {
                v.name.as_str().to_owned()
            },
            selected: v.id == d.application_version_id,
            id: v.id.to_string(),
        })
        .collect();
    let dot = deployment_dot(d.health);
    let mode = match (&d.release_name, d.docker_type) {
        (Some(r), _) => format!("release {r}"),
        (None, Some("swarm")) => "Swarm".to_owned(),
        (None, _) => "Compose".to_owned(),
    };
    Ok(super::page::html(&DetailPage {
        chrome: Chrome::new(&state, &session, "deployments"),
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
        raw_config: decode(d.values_yaml.as_ref().or(d.env_file_data.as_ref())),
        restart_block: blocked(Gate::ForceRestart, &t),
        logs_block: blocked(Gate::LogsToggle, &t),
        undeploy_block: blocked(Gate::Undeploy, &t),
        d,
        t,
    }))
}

fn refuse(gate: Gate) -> PortalError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", gate.reason()).into()
}

pub(super) async fn restart(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PortalError> {
    let (d, t) = load(&state, &session, &id).await?;
    if !blocked(Gate::ForceRestart, &t).is_empty() {
        return Err(refuse(Gate::ForceRestart));
    }
    let body = PutDeployment {
        deployment_target_id: Some(d.deployment_target_id),
        deployment_id: Some(d.id),
        force_restart: Some(true),
        ..PutDeployment::default()
    };
    put_deployment(&state, &session.principal, body).await?;
    Ok(see_other(&format!("/deployments/{}?notice=deployed", d.id)))
}

#[derive(Deserialize)]
pub(super) struct LogsForm {
    #[serde(default)]
    enabled: String,
}

pub(super) async fn logs(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<LogsForm>,
) -> Result<Response, PortalError> {
    let (d, t) = load(&state, &session, &id).await?;
    if !blocked(Gate::LogsToggle, &t).is_empty() {
        return Err(refuse(Gate::LogsToggle));
    }
    set_logs_enabled(&state, &session.principal, &id, form.enabled == "on").await?;
    Ok(see_other(&format!("/deployments/{}", d.id)))
}

#[derive(Deserialize)]
pub(super) struct UpdateForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    config: String,
}

pub(super) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<UpdateForm>,
) -> Result<Response, PortalError> {
    let (d, _) = load(&state, &session, &id).await?;
    let config = (!form.config.trim().is_empty()).then(|| b64(&form.config));
    let kubernetes = d.release_name.is_some();
    let body = PutDeployment {
        deployment_target_id: Some(d.deployment_target_id),
        deployment_id: Some(d.id),
        application_version_id: Some(crate::user_api::parse_id(&form.version)?),
        values_yaml: kubernetes.then(|| config.clone()),
        env_file_data: (!kubernetes).then_some(config),
        ..PutDeployment::default()
    };
    put_deployment(&state, &session.principal, body).await?;
    Ok(see_other(&format!("/deployments/{}?notice=deployed", d.id)))
}

#[derive(Deserialize)]
pub(super) struct UndeployForm {
    #[serde(default)]
    confirm: String,
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<UndeployForm>,
) -> Result<Response, PortalError> {
    let (_, t) = load(&state, &session, &id).await?;
    if !blocked(Gate::Undeploy, &t).is_empty() {
        return Err(refuse(Gate::Undeploy));
    }
    if form.confirm.trim() != "UNDEPLOY" {
        return Err(ApiError::validation("type UNDEPLOY to confirm").into());
    }
    undeploy(&state, &session.principal, &id).await?;
    Ok(see_other("/deployments?notice=undeployed"))
}
