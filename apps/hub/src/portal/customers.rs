//! `/customers` and `/customers/{id}` (HS §4.4), vendor members: the list
//! with user and target counts; create, rename and delete (409 `not-empty`
//! shown inline); the detail page's tabs Users, Secrets and Targets. Every
//! action calls the `/customer-organizations` functions.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use distr_domain::ids::CustomerOrganizationId;
use serde::Deserialize;

use super::csrf::{CsrfForm, NoFields};
use super::dots::{Dot, target_dot};
use super::page::{Chrome, FormError, PortalError, html_with, see_other};
use super::people::Notes;
use super::secrets::{self, SecretsSection};
use super::session::Session;
use super::users::{self, UsersSection};
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::customers::{
    CustomerInput, create_customer, delete_customer, get_customer, list_customers, rename_customer,
};
use crate::user_api::targets::list_visible;

/// One row of the list.
#[derive(Debug)]
struct CustomerRow {
    id: String,
    name: String,
    users: u64,
    targets: u64,
}

#[derive(Template)]
#[template(path = "portal/customers.html")]
struct ListPage {
    chrome: Chrome,
    customers: Vec<CustomerRow>,
    name: String,
    error: FormError,
}

async fn list_page(
    state: &AppState,
    session: &Session,
    name: String,
    error: FormError,
    status: StatusCode,
) -> Result<Response, PortalError> {
    let customers = list_customers(state, &session.principal)
        .await?
        .into_iter()
        .map(|c| CustomerRow {
            id: c.id.to_string(),
            name: c.name,
            users: c.user_count,
            targets: c.deployment_target_count,
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new(state, session, "customers"),
        customers,
        name,
        error,
    };
    Ok(html_with(status, &page))
}

pub(super) async fn list(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PortalError> {
    list_page(
        &state,
        &session,
        String::new(),
        FormError::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct NameForm {
    #[serde(default)]
    name: String,
}

pub(super) async fn create(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<NameForm>,
) -> Result<Response, PortalError> {
    let body = CustomerInput {
        name: form.name.clone(),
    };
    match create_customer(&state, &session.principal, body).await {
        Ok(customer) => Ok(see_other(&format!("/customers/{}", customer.id))),
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            list_page(
                &state,
                &session,
                form.name,
                err.into(),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

/// One target of the Targets tab.
#[derive(Debug)]
struct TargetRow {
    id: String,
    name: String,
    kind: &'static str,
    dot: Dot,
    deployments: usize,
}

/// A tab of a customer's page (`?tab=`); each is its own page load, so
/// the tabs work without JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CustomerTab {
    /// Members, invites and links.
    Users,
    /// The customer's secrets.
    Secrets,
    /// The customer's deployment targets.
    Targets,
    /// Rename or delete (writers).
    Settings,
}

impl CustomerTab {
    /// Its `?tab=` value.
    pub(super) fn key(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Secrets => "secrets",
            Self::Targets => "targets",
            Self::Settings => "settings",
        }
    }

    /// The tab `raw` names; Users for anything else.
    fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("secrets") => Self::Secrets,
            Some("targets") => Self::Targets,
            Some("settings") => Self::Settings,
            _ => Self::Users,
        }
    }
}

#[derive(Template)]
#[template(path = "portal/customer.html")]
struct DetailPage {
    chrome: Chrome,
    id: String,
    name: String,
    user_count: u64,
    target_count: u64,
    can_write: bool,
    tab: &'static str,
    users: Option<UsersSection>,
    secrets: Option<SecretsSection>,
    targets: Vec<TargetRow>,
    notes: Notes,
}

/// The rows of the Targets tab.
async fn target_rows(
    state: &AppState,
    session: &Session,
    id: CustomerOrganizationId,
) -> Result<Vec<TargetRow>, PortalError> {
    Ok(list_visible(state, &session.principal)
        .await?
        .into_iter()
        .filter(|t| t.customer_organization.as_ref().is_some_and(|c| c.id == id))
        .map(|t| TargetRow {
            id: t.id.to_string(),
            name: t.name,
            kind: t.target_type,
            dot: target_dot(t.connection_state),
            deployments: t.deployments.len(),
        })
        .collect())
}

/// Renders tab `tab` of customer `id`'s page with `notes` (also the answer
/// of the users, secrets and customer forms posted from that tab). Only
/// the shown tab's data is read.
pub(super) async fn detail_answer(
    state: &AppState,
    session: &Session,
    id: CustomerOrganizationId,
    tab: CustomerTab,
    notes: Notes,
    status: StatusCode,
) -> Result<Response, PortalError> {
    let p = &session.principal;
    p.require_vendor()?;
    let customer = get_customer(state, p, &id.to_string()).await?;
    let can_write = p.role.can_write();
    let tab = if tab == CustomerTab::Settings && !can_write {
        CustomerTab::Users
    } else {
        tab
    };
    let page = DetailPage {
        chrome: Chrome::new(state, session, "customers"),
        id: customer.id.to_string(),
        name: customer.name,
        user_count: customer.user_count,
        target_count: customer.deployment_target_count,
        can_write,
        tab: tab.key(),
        users: match tab {
            CustomerTab::Users => Some(users::section(state, session, Some(id)).await?),
            _ => None,
        },
        secrets: match tab {
            CustomerTab::Secrets => Some(secrets::section(state, session, Some(id)).await?),
            _ => None,
        },
        targets: match tab {
            CustomerTab::Targets => target_rows(state, session, id).await?,
            _ => Vec::new(),
        },
        notes,
    };
    Ok(html_with(status, &page))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    session.principal.require_vendor()?;
    let id = crate::user_api::parse_id(&id)?;
    let tab = CustomerTab::parse(query.get("tab").map(String::as_str));
    detail_answer(&state, &session, id, tab, Notes::default(), StatusCode::OK).await
}

/// An error of the rename or delete form, inline (but 404).
async fn customer_refused(
    state: &AppState,
    session: &Session,
    raw_id: &str,
    err: ApiError,
) -> Result<Response, PortalError> {
    if err.status == StatusCode::NOT_FOUND || !err.status.is_client_error() {
        return Err(err.into());
    }
    let id = crate::user_api::parse_id(raw_id)?;
    let status = err.status;
    let notes = Notes {
        customer_error: err.into(),
        ..Notes::default()
    };
    detail_answer(state, session, id, CustomerTab::Settings, notes, status).await
}

pub(super) async fn rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<NameForm>,
) -> Result<Response, PortalError> {
    let body = CustomerInput { name: form.name };
    match rename_customer(&state, &session.principal, &id, body).await {
        Ok(customer) => Ok(see_other(&format!(
            "/customers/{}?tab=settings",
            customer.id
        ))),
        Err(err) => customer_refused(&state, &session, &id, err).await,
    }
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PortalError> {
    match delete_customer(&state, &session.principal, &id).await {
        Ok(()) => Ok(see_other("/customers")),
        Err(err) => customer_refused(&state, &session, &id, err).await,
    }
}
