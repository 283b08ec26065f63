//! `/applications/{id}` (HS §4.4), vendor only: rename, delete (blocked with
//! an explanation while in use), and the versions table with view files,
//! archive/unarchive, delete if unused, and a "hide archived" toggle.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::csrf::{CsrfForm, NoFields};
use super::dots::when;
use super::page::{Chrome, FormError, PortalError, html_with, see_other};
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::applications::{delete_application, rename_application, visible_application};
use crate::user_api::targets::list_visible;

/// One row of the versions table.
#[derive(Debug)]
struct VersionRow {
    id: String,
    name: String,
    created: String,
    archived: bool,
    chart: String,
    /// Deployments whose current revision uses this version.
    in_use: usize,
}

#[derive(Template)]
#[template(path = "portal/application.html")]
struct DetailPage {
    chrome: Chrome,
    id: String,
    name: String,
    kubernetes: bool,
    versions: Vec<VersionRow>,
    hide_archived: bool,
    archived_count: usize,
    /// Deployments using any version of this application.
    in_use: usize,
    /// The rename field, kept when validation fails.
    rename: String,
    notice: String,
    error: FormError,
}

/// What a re-rendered detail page carries besides the stored state.
#[derive(Debug, Default)]
pub(super) struct DetailState {
    /// Hide archived versions.
    pub hide_archived: bool,
    /// The rename input to keep, if any.
    pub rename: Option<String>,
    /// A notice key (`?notice=`).
    pub notice: Option<String>,
    /// The error of a refused action.
    pub error: FormError,
}

fn notice_text(key: Option<&str>) -> String {
    match key {
        Some("renamed") => "Application renamed.",
        Some("archived") => "Version archived: the deploy wizard no longer offers it.",
        Some("unarchived") => "Version unarchived.",
        Some("version-deleted") => "Version deleted.",
        Some("version-created") => "Version added.",
        _ => "",
    }
    .to_owned()
}

/// Renders the detail page of the application `raw_id` with `status`.
pub(super) async fn render(
    state: &AppState,
    session: &Session,
    raw_id: &str,
    status: StatusCode,
    extra: DetailState,
) -> Result<Response, PortalError> {
    let principal = &session.principal;
    principal.require_vendor()?;
    let app = visible_application(state, principal, raw_id).await?;
    let stored = state
        .store
        .list_versions(app.id)
        .await
        .map_err(ApiError::from)?;
    let mut uses: HashMap<String, usize> = HashMap::new();
    let mut in_use = 0;
    for target in list_visible(state, principal).await? {
        for d in target
            .deployments
            .iter()
            .filter(|d| d.application_id == app.id)
        {
            in_use += 1;
            *uses
                .entry(d.application_version_id.to_string())
                .or_default() += 1;
        }
    }
    let archived_count = stored.iter().filter(|v| v.archived_at.is_some()).count();
    let versions = stored
        .iter()
        .rev()
        .filter(|v| !extra.hide_archived || v.archived_at.is_none())
        .map(|v| {
            let id = v.id.to_string();
            VersionRow {
                name: v.name.as_str().to_owned(),
                created: when(v.created_at),
                archived: v.archived_at.is_some(),
                chart: match &v.content {
                    distr_domain::application::VersionContent::Kubernetes {
                        chart_name,
                        chart_version,
                        ..
                    } => chart_name
                        .as_ref()
                        .map_or_else(|| chart_version.clone(), |n| format!("{n} {chart_version}")),
                    distr_domain::application::VersionContent::Docker { .. } => String::new(),
                },
                in_use: uses.get(&id).copied().unwrap_or_default(),
                id,
            }
        })
        .collect();
    let page = DetailPage {
        chrome: Chrome::new(state, session, "applications"),
        id: app.id.to_string(),
        name: app.name.as_str().to_owned(),
        kubernetes: app.app_type.as_str() == "kubernetes",
        versions,
        hide_archived: extra.hide_archived,
        archived_count,
        in_use,
        rename: extra.rename.unwrap_or_else(|| app.name.as_str().to_owned()),
        notice: notice_text(extra.notice.as_deref()),
        error: extra.error,
    };
    Ok(html_with(status, &page))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let extra = DetailState {
        hide_archived: query.get("hide_archived").is_some_and(|v| v == "1"),
        notice: query.get("notice").cloned(),
        ..DetailState::default()
    };
    render(&state, &session, &id, StatusCode::OK, extra).await
}

#[derive(Deserialize)]
pub(super) struct RenameForm {
    #[serde(default)]
    name: String,
}

pub(super) async fn rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<RenameForm>,
) -> Result<Response, PortalError> {
    session.principal.require_vendor()?;
    match rename_application(&state, &session.principal, &id, &form.name, None).await {
        Ok(app) => Ok(see_other(&format!(
            "/applications/{}?notice=renamed",
            app.id
        ))),
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            let extra = DetailState {
                rename: Some(form.name),
                error: err.into(),
                ..DetailState::default()
            };
            render(&state, &session, &id, StatusCode::BAD_REQUEST, extra).await
        }
        Err(err) => Err(err.into()),
    }
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PortalError> {
    session.principal.require_vendor()?;
    match delete_application(&state, &session.principal, &id).await {
        Ok(()) => Ok(see_other("/applications")),
        Err(err) if err.status == StatusCode::CONFLICT => {
            let extra = DetailState {
                error: FormError {
                    detail: "This application cannot be deleted while a deployment uses one \
                             of its versions, also in an earlier revision. Undeploy those \
                             deployments first."
                        .to_owned(),
                    errors: Vec::new(),
                },
                ..DetailState::default()
            };
            render(&state, &session, &id, StatusCode::CONFLICT, extra).await
        }
        Err(err) => Err(err.into()),
    }
}
