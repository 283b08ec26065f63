//! `/applications` and `/applications/{id}` (HS §4.4), vendor only: the
//! list with type, version count and latest version, the create form, the
//! versions table and the new-version form (Compose or Helm chart).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::dots::when;
use super::page::{Chrome, FormError, PortalError, html_with, see_other};
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::applications::{CreateApplication, create_application, list_views};
use crate::user_api::parse_id;
use crate::user_api::versions::{VersionInput, create_version};
use crate::user_api::views::ApplicationView;

/// One row of the applications list.
#[derive(Debug)]
struct AppRow {
    id: String,
    name: String,
    kind: &'static str,
    versions: usize,
    latest: String,
}

#[derive(Template)]
#[template(path = "portal/applications.html")]
struct ListPage {
    chrome: Chrome,
    apps: Vec<AppRow>,
    name: String,
    kind: String,
    error: FormError,
}

/// One row of the versions table.
#[derive(Debug)]
struct VersionRow {
    name: String,
    created: String,
    archived: bool,
    chart: String,
}

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

#[derive(Template)]
#[template(path = "portal/application.html")]
struct DetailPage {
    chrome: Chrome,
    id: String,
    name: String,
    kubernetes: bool,
    versions: Vec<VersionRow>,
    form: VersionForm,
    error: FormError,
}

fn rows(apps: &[ApplicationView]) -> Vec<AppRow> {
    apps.iter()
        .map(|a| AppRow {
            id: a.id.to_string(),
            name: a.name.clone(),
            kind: if a.app_type == "kubernetes" {
                "Helm chart"
            } else {
                "Docker Compose"
            },
            versions: a.versions.len(),
            latest: a
                .versions
                .last()
                .map(|v| v.name.clone())
                .unwrap_or_default(),
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    session: &Session,
    name: String,
    kind: String,
    error: FormError,
) -> Result<ListPage, PortalError> {
    session.principal.require_vendor()?;
    Ok(ListPage {
        chrome: Chrome::new(state, session, "applications"),
        apps: rows(&list_views(state, &session.principal).await?),
        name,
        kind,
        error,
    })
}

pub(super) async fn list(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PortalError> {
    let page = list_page(
        &state,
        &session,
        String::new(),
        "docker".to_owned(),
        FormError::default(),
    )
    .await?;
    Ok(html_with(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub(super) struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "type")]
    kind: String,
}

pub(super) async fn create(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<CreateForm>,
) -> Result<Response, PortalError> {
    let body = CreateApplication {
        name: form.name.clone(),
        app_type: form.kind.clone(),
    };
    match create_application(&state, &session.principal, body).await {
        Ok(app) => Ok(see_other(&format!("/applications/{}", app.id))),
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            let page = list_page(&state, &session, form.name, form.kind, err.into()).await?;
            Ok(html_with(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}

async fn detail_page(
    state: &AppState,
    session: &Session,
    raw_id: &str,
    form: VersionForm,
    error: FormError,
) -> Result<DetailPage, PortalError> {
    session.principal.require_vendor()?;
    let id = parse_id::<distr_domain::ids::ApplicationId>(raw_id)?;
    let app = list_views(state, &session.principal)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(ApiError::not_found)?;
    Ok(DetailPage {
        chrome: Chrome::new(state, session, "applications"),
        id: app.id.to_string(),
        kubernetes: app.app_type == "kubernetes",
        versions: app
            .versions
            .iter()
            .rev()
            .map(|v| VersionRow {
                name: v.name.clone(),
                created: when(v.created_at),
                archived: v.archived_at.is_some(),
                chart: match (&v.chart_name, &v.chart_version) {
                    (Some(name), Some(version)) => format!("{name} {version}"),
                    (None, Some(version)) => version.clone(),
                    _ => String::new(),
                },
            })
            .collect(),
        name: app.name,
        form,
        error,
    })
}

pub(super) async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    let page = detail_page(
        &state,
        &session,
        &id,
        VersionForm::default(),
        FormError::default(),
    )
    .await?;
    Ok(html_with(StatusCode::OK, &page))
}

fn optional(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_owned())
}

pub(super) async fn create_version_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<VersionForm>,
) -> Result<Response, PortalError> {
    session.principal.require_vendor()?;
    let app = state
        .store
        .get_application(session.principal.organization_id, parse_id(&id)?)
        .await
        .map_err(ApiError::from)?;
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
        Ok(_) => Ok(see_other(&format!("/applications/{}", app.id))),
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            let page = detail_page(&state, &session, &id, form, err.into()).await?;
            Ok(html_with(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}
