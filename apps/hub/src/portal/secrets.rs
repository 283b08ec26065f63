//! `/secrets` (HS §4.4): vendor-level secrets for vendors, their own for
//! customers; key, updated-at and updated-by; create; "Replace value" is
//! write-only; a refused delete lists the deployments that keep the key in
//! use. The same section is the Secrets tab of `/customers/{id}`. Values are
//! never rendered, not even back into a form that failed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use distr_domain::ids::{CustomerOrganizationId, UserAccountId};
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::dots::when;
use super::page::{Chrome, PortalError, html_with, see_other};
use super::people::{self, Notes, OwnPage, UseRow, back_to, from_customer};
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::secrets::{
    CreateSecret, create_secret, delete_secret, list_secrets, replace_value, secret_uses,
};

/// One secret row: metadata only.
#[derive(Debug)]
pub(super) struct SecretRow {
    pub id: String,
    pub key: String,
    pub updated: String,
    pub updated_by: String,
}

/// The secrets of one scope.
#[derive(Debug)]
pub(super) struct SecretsSection {
    pub rows: Vec<SecretRow>,
    /// The customer page's id, or "" on `/secrets`.
    pub from: String,
    pub can_write: bool,
}

/// The secrets of `customer` (vendor callers on a customer page), or of
/// the caller's own scope.
pub(super) async fn section(
    state: &AppState,
    session: &Session,
    customer: Option<CustomerOrganizationId>,
) -> Result<SecretsSection, ApiError> {
    let p = &session.principal;
    let asked = customer.map(|c| c.to_string());
    let secrets = list_secrets(state, p, asked.as_deref()).await?;
    let mut names: HashMap<UserAccountId, String> = HashMap::new();
    let mut rows = Vec::with_capacity(secrets.len());
    for secret in secrets {
        let updated_by = match secret.updated_by_user_account_id {
            Some(id) => {
                if let Some(name) = names.get(&id) {
                    name.clone()
                } else {
                    let name = state
                        .store
                        .get_user(id)
                        .await
                        .map(|u| u.name.as_str().to_owned())
                        .unwrap_or_default();
                    names.insert(id, name.clone());
                    name
                }
            }
            None => String::new(),
        };
        rows.push(SecretRow {
            id: secret.id.to_string(),
            key: secret.key,
            updated: when(secret.updated_at),
            updated_by,
        });
    }
    Ok(SecretsSection {
        rows,
        from: customer.map(|c| c.to_string()).unwrap_or_default(),
        can_write: p.role.can_write(),
    })
}

#[derive(Template)]
#[template(path = "portal/secrets.html")]
struct SecretsPage {
    chrome: Chrome,
    secrets: SecretsSection,
    notes: Notes,
}

pub(super) async fn secrets_page(
    state: &AppState,
    session: &Session,
    notes: Notes,
    status: StatusCode,
) -> Result<Response, PortalError> {
    let page = SecretsPage {
        chrome: Chrome::new(state, session, "secrets"),
        secrets: section(state, session, None).await?,
        notes,
    };
    Ok(html_with(status, &page))
}

pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PortalError> {
    secrets_page(&state, &session, Notes::default(), StatusCode::OK).await
}

/// Renders the page a form came from with `notes`.
async fn answer(
    state: &AppState,
    session: &Session,
    from: Option<CustomerOrganizationId>,
    notes: Notes,
    status: StatusCode,
) -> Result<Response, PortalError> {
    people::answer(state, session, OwnPage::Secrets, from, notes, status).await
}

/// An API error shown inline (4xx but 404), or as an error page.
async fn refused(
    state: &AppState,
    session: &Session,
    from: Option<CustomerOrganizationId>,
    err: ApiError,
    notes: Notes,
) -> Result<Response, PortalError> {
    let (status, err) = people::shown_inline(err)?;
    let notes = Notes {
        secrets_error: err.into(),
        ..notes
    };
    answer(state, session, from, notes, status).await
}

#[derive(Deserialize)]
pub(super) struct CreateForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    from: String,
}

pub(super) async fn create(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<CreateForm>,
) -> Result<Response, PortalError> {
    let from = from_customer(&form.from)?;
    let body = CreateSecret {
        key: form.key.clone(),
        value: Some(form.value),
        customer_organization_id: from,
    };
    match create_secret(&state, &session.principal, body).await {
        Ok(_) => Ok(see_other(&back_to("/secrets", from, "secrets"))),
        Err(err) => {
            let notes = Notes {
                secret_key: form.key,
                ..Notes::default()
            };
            refused(&state, &session, from, err, notes).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ReplaceForm {
    #[serde(default)]
    value: String,
    #[serde(default)]
    from: String,
}

pub(super) async fn replace(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<ReplaceForm>,
) -> Result<Response, PortalError> {
    let from = from_customer(&form.from)?;
    match replace_value(&state, &session.principal, &id, Some(form.value)).await {
        Ok(_) => Ok(see_other(&back_to("/secrets", from, "secrets"))),
        Err(err) => refused(&state, &session, from, err, Notes::default()).await,
    }
}

#[derive(Deserialize)]
pub(super) struct DeleteForm {
    #[serde(default)]
    from: String,
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<DeleteForm>,
) -> Result<Response, PortalError> {
    let from = from_customer(&form.from)?;
    match delete_secret(&state, &session.principal, &id).await {
        Ok(()) => Ok(see_other(&back_to("/secrets", from, "secrets"))),
        Err(err) if err.status == StatusCode::CONFLICT => {
            let in_use = secret_uses(&state, &session.principal, &id)
                .await?
                .into_iter()
                .map(|u| UseRow {
                    deployment_id: u.deployment_id.to_string(),
                    target_name: u.target_name,
                })
                .collect();
            let notes = Notes {
                in_use,
                ..Notes::default()
            };
            refused(&state, &session, from, err, notes).await
        }
        Err(err) => refused(&state, &session, from, err, Notes::default()).await,
    }
}
