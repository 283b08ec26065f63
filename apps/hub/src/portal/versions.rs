//! One application's versions (HS §4.4), vendor only: the new-version form
//! (optionally prefilled from an existing version with `?from=`), the
//! read-only file view with copy buttons, archive/unarchive and delete.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use distr_domain::application::{ApplicationVersion, VersionContent};
use serde::Deserialize;

use super::application::{DetailState, render};
use super::csrf::{CsrfForm, NoFields};
use super::dots::when;
use super::page::{Chrome, FormError, PortalError, html, html_with, see_other};
use super::session::Session;
use crate::state::AppState;
use crate::user_api::applications::visible_application;
use crate::user_api::version_changes::{delete_version, update_version, visible_version};
use crate::user_api::versions::{VersionInput, create_version};

/// The new-version form's input, kept when validation fails.
#[derive(Debug, Default, Deserialize)]
pub(super) struct VersionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    compose_file: String,
    #[serde(default)]
    template_file: String,
    #[serde(default)]
    chart_type: String,
    #[serde(default)]
    chart_url: String,
    #[serde(default)]
    chart_name: String,
    #[serde(default)]
    chart_version: String,
    #[serde(default)]
    values_file: String,
}

impl VersionForm {
    /// The form prefilled from `version`'s files and chart, without a name.
    fn from_version(version: &ApplicationVersion) -> Self {
        match &version.content {
            VersionContent::Docker {
                compose_file,
                template_file,
            } => Self {
                compose_file: compose_file.clone(),
                template_file: template_file.clone().unwrap_or_default(),
                ..Self::default()
            },
            VersionContent::Kubernetes {
                chart_type,
                chart_url,
                chart_name,
                chart_version,
                values_file,
                template_file,
            } => Self {
                chart_type: chart_type.as_str().to_owned(),
                chart_url: chart_url.clone(),
                chart_name: chart_name.clone().unwrap_or_default(),
                chart_version: chart_version.clone(),
                values_file: values_file.clone().unwrap_or_default(),
                template_file: template_file.clone().unwrap_or_default(),
                ..Self::default()
            },
        }
    }
}

#[derive(Template)]
#[template(path = "portal/version_new.html")]
struct NewPage {
    chrome: Chrome,
    id: String,
    name: String,
    kubernetes: bool,
    /// The name of the version the form was prefilled from, or "".
    from: String,
    form: VersionForm,
    error: FormError,
}

async fn new_page(
    state: &AppState,
    session: &Session,
    raw_id: &str,
    from: String,
    form: VersionForm,
    error: FormError,
) -> Result<NewPage, PortalError> {
    let principal = &session.principal;
    principal.require_vendor()?;
    let app = visible_application(state, principal, raw_id).await?;
    principal.require_write()?;
    Ok(NewPage {
        chrome: Chrome::new(state, session, "applications"),
        id: app.id.to_string(),
        name: app.name.as_str().to_owned(),
        kubernetes: app.app_type.as_str() == "kubernetes",
        from,
        form,
        error,
    })
}

/// `GET /applications/{id}/versions/new[?from=vid]`.
pub(super) async fn new_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    session.principal.require_vendor()?;
    let (from, form) = match query.get("from").filter(|v| !v.is_empty()) {
        Some(vid) => {
            let version = visible_version(&state, &session.principal, &id, vid).await?;
            (
                version.name.as_str().to_owned(),
                VersionForm::from_version(&version),
            )
        }
        None => (String::new(), VersionForm::default()),
    };
    let page = new_page(&state, &session, &id, from, form, FormError::default()).await?;
    Ok(html(&page))
}

fn optional(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_owned())
}

/// `POST /applications/{id}/versions`: creates the version, or shows the
/// form again with the input and the errors per field.
pub(super) async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<VersionForm>,
) -> Result<Response, PortalError> {
    session.principal.require_vendor()?;
    let app = visible_application(&state, &session.principal, &id).await?;
    session.principal.require_write()?;
    let input = VersionInput {
        name: form.name.clone(),
        chart_type: optional(&form.chart_type),
        chart_url: optional(&form.chart_url),
        chart_name: optional(&form.chart_name),
        chart_version: optional(&form.chart_version),
        compose_file: optional(&form.compose_file),
        values_file: optional(&form.values_file),
        template_file: optional(&form.template_file),
    };
    match create_version(&state, &app, input).await {
        Ok(_) => Ok(see_other(&format!(
            "/applications/{}?notice=version-created",
            app.id
        ))),
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            let page = new_page(&state, &session, &id, String::new(), form, err.into()).await?;
            Ok(html_with(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}

/// One file of the read-only view.
#[derive(Debug)]
struct FileBlock {
    /// Element id (for the copy button).
    id: &'static str,
    title: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "portal/version.html")]
struct ViewPage {
    chrome: Chrome,
    app_id: String,
    app_name: String,
    id: String,
    name: String,
    created: String,
    archived: bool,
    facts: Vec<(&'static str, String)>,
    files: Vec<FileBlock>,
}

/// `GET /applications/{id}/versions/{vid}`: the files, read-only.
pub(super) async fn view(
    State(state): State<AppState>,
    session: Session,
    Path((id, vid)): Path<(String, String)>,
) -> Result<Response, PortalError> {
    let principal = &session.principal;
    principal.require_vendor()?;
    let app = visible_application(&state, principal, &id).await?;
    let version = visible_version(&state, principal, &id, &vid).await?;
    let file = |id, title, text: Option<&String>| FileBlock {
        id,
        title,
        text: text.cloned().unwrap_or_default(),
    };
    let (facts, files) = match &version.content {
        VersionContent::Docker {
            compose_file,
            template_file,
        } => (
            vec![("Type", "Docker Compose".to_owned())],
            vec![
                file("file-compose", "Compose file", Some(compose_file)),
                file(
                    "file-template",
                    "Environment template (.env)",
                    template_file.as_ref(),
                ),
            ],
        ),
        VersionContent::Kubernetes {
            chart_type,
            chart_url,
            chart_name,
            chart_version,
            values_file,
            template_file,
        } => (
            vec![
                ("Chart type", chart_type.as_str().to_owned()),
                ("Chart URL", chart_url.clone()),
                ("Chart name", chart_name.clone().unwrap_or_default()),
                ("Chart version", chart_version.clone()),
            ],
            vec![
                file("file-values", "Base values", values_file.as_ref()),
                file("file-template", "Values template", template_file.as_ref()),
            ],
        ),
    };
    Ok(html(&ViewPage {
        chrome: Chrome::new(&state, &session, "applications"),
        app_id: app.id.to_string(),
        app_name: app.name.as_str().to_owned(),
        id: version.id.to_string(),
        name: version.name.as_str().to_owned(),
        created: when(version.created_at),
        archived: version.archived_at.is_some(),
        facts,
        files,
    }))
}

#[derive(Deserialize)]
pub(super) struct ArchiveForm {
    /// "on" archives, anything else unarchives.
    #[serde(default)]
    archived: String,
}

/// `POST /applications/{id}/versions/{vid}/archive`.
pub(super) async fn archive(
    State(state): State<AppState>,
    Path((id, vid)): Path<(String, String)>,
    CsrfForm(session, form): CsrfForm<ArchiveForm>,
) -> Result<Response, PortalError> {
    let principal = &session.principal;
    principal.require_vendor()?;
    let version = visible_version(&state, principal, &id, &vid).await?;
    let archive = form.archived == "on";
    let name = version.name.as_str().to_owned();
    let at = archive.then(|| state.clock.now());
    let app_id = version.application_id;
    update_version(&state, principal, version, &name, at).await?;
    let notice = if archive { "archived" } else { "unarchived" };
    Ok(see_other(&format!(
        "/applications/{app_id}?notice={notice}"
    )))
}

/// `POST /applications/{id}/versions/{vid}/delete`: refused with an
/// explanation while a revision uses the version.
pub(super) async fn remove(
    State(state): State<AppState>,
    Path((id, vid)): Path<(String, String)>,
    CsrfForm(session, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PortalError> {
    let principal = &session.principal;
    principal.require_vendor()?;
    let version = visible_version(&state, principal, &id, &vid).await?;
    match delete_version(&state, principal, &version).await {
        Ok(()) => Ok(see_other(&format!(
            "/applications/{}?notice=version-deleted",
            version.application_id
        ))),
        Err(err) if err.status == StatusCode::CONFLICT => {
            let extra = DetailState {
                error: FormError {
                    detail: format!(
                        "Version {} cannot be deleted while a deployment uses it, also in \
                         an earlier revision. Archive it instead to stop offering it.",
                        version.name.as_str()
                    ),
                    errors: Vec::new(),
                },
                ..DetailState::default()
            };
            render(&state, &session, &id, StatusCode::CONFLICT, extra).await
        }
        Err(err) => Err(err.into()),
    }
}
