//! `/applications` (HS §4.4), vendor only: the list with type, version
//! count and latest version, and the create form. One application's page
//! is [`super::application`], its versions [`super::versions`].

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::page::{Chrome, FormError, PortalError, html_with, see_other};
use super::session::Session;
use crate::state::AppState;
use crate::user_api::applications::{CreateApplication, create_application, list_views};
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
