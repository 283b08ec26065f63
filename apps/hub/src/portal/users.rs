//! `/users` (HS §4.4), vendor and customer admins: members with role and
//! state; invite (the link shown once), change role, new invite or reset
//! link, remove. The same section is the Users tab of `/customers/{id}`.
//! Every action calls the `/user-accounts` functions, so the API's rules
//! (who manages whom, never one's own role, the last admin) hold here too.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use distr_domain::ids::CustomerOrganizationId;
use distr_domain::user::UserRole;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::page::{Chrome, PortalError, html_with, see_other};
use super::people::{self, InviteInput, Notes, OwnPage, ShownLink, back_to, from_customer};
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::customers::list_customers;
use crate::user_api::users::{
    InviteRequest, PatchRequest, invite, list_members, may_issue_reset, may_manage, new_invite_url,
    new_reset_url, remove_member, update_member,
};

/// One member row.
#[derive(Debug)]
pub(super) struct MemberRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub active: bool,
    pub customer: String,
    pub manageable: bool,
    pub is_self: bool,
}

/// The members section of `/users` and of a customer's Users tab.
#[derive(Debug)]
pub(super) struct UsersSection {
    pub rows: Vec<MemberRow>,
    /// The customer page's id, or "" on `/users`.
    pub from: String,
    pub can_invite: bool,
    pub can_reset: bool,
    /// Whether to show the customer column (vendor admins on `/users`).
    pub show_customer: bool,
}

/// A role's label.
pub(super) const fn role_label(role: UserRole) -> &'static str {
    match role {
        UserRole::Admin => "admin",
        UserRole::ReadWrite => "read_write",
        UserRole::ReadOnly => "read_only",
    }
}

/// The members of `customer` (a customer page), or every member the caller
/// sees (`/users`).
pub(super) async fn section(
    state: &AppState,
    session: &Session,
    customer: Option<CustomerOrganizationId>,
) -> Result<UsersSection, ApiError> {
    let p = &session.principal;
    let names: HashMap<CustomerOrganizationId, String> = if p.is_vendor() && customer.is_none() {
        list_customers(state, p)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect()
    } else {
        HashMap::new()
    };
    let rows = list_members(state, p)
        .await?
        .into_iter()
        .filter(|m| customer.is_none() || m.customer_organization_id == customer)
        .map(|m| MemberRow {
            id: m.id.to_string(),
            customer: m
                .customer_organization_id
                .and_then(|c| names.get(&c).cloned())
                .unwrap_or_default(),
            manageable: may_manage(p, m.customer_organization_id),
            is_self: m.id == p.user_id,
            name: m.name,
            email: m.email,
            role: role_label(m.user_role),
            active: m.active,
        })
        .collect();
    let invite_into = customer.or(p.customer_organization_id);
    Ok(UsersSection {
        rows,
        from: customer.map(|c| c.to_string()).unwrap_or_default(),
        can_invite: p.role.can_write() && may_manage(p, invite_into),
        can_reset: may_issue_reset(p),
        show_customer: p.is_vendor() && customer.is_none(),
    })
}

#[derive(Template)]
#[template(path = "portal/users.html")]
struct UsersPage {
    chrome: Chrome,
    users: UsersSection,
    notes: Notes,
}

/// `/users` is for admins (vendor and customer).
fn require_admin(session: &Session) -> Result<(), ApiError> {
    if session.principal.role == UserRole::Admin {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

pub(super) async fn users_page(
    state: &AppState,
    session: &Session,
    notes: Notes,
    status: StatusCode,
) -> Result<Response, PortalError> {
    require_admin(session)?;
    let page = UsersPage {
        chrome: Chrome::new(state, session, "users"),
        users: section(state, session, None).await?,
        notes,
    };
    Ok(html_with(status, &page))
}

pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PortalError> {
    users_page(&state, &session, Notes::default(), StatusCode::OK).await
}

/// Renders the page a form came from with `notes`.
async fn answer(
    state: &AppState,
    session: &Session,
    from: Option<CustomerOrganizationId>,
    notes: Notes,
    status: StatusCode,
) -> Result<Response, PortalError> {
    people::answer(state, session, OwnPage::Users, from, notes, status).await
}

/// An API error shown inline (4xx but 404), or as an error page.
async fn refused(
    state: &AppState,
    session: &Session,
    from: Option<CustomerOrganizationId>,
    err: ApiError,
    invite: InviteInput,
) -> Result<Response, PortalError> {
    let (status, err) = people::shown_inline(err)?;
    let mut notes = Notes::users(err);
    notes.invite = invite;
    answer(state, session, from, notes, status).await
}

#[derive(Deserialize)]
pub(super) struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    from: String,
}

pub(super) async fn create(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<InviteForm>,
) -> Result<Response, PortalError> {
    let from = from_customer(&form.from)?;
    let body = InviteRequest {
        email: form.email.clone(),
        name: form.name.clone(),
        user_role: form.role.clone(),
        customer_organization_id: from,
    };
    match invite(&state, &session.principal, body).await {
        Ok(done) => {
            let whom = done.user.email.clone();
            let notes = match done.invite_url {
                Some(url) => Notes {
                    link: Some(ShownLink {
                        what: "Invite link",
                        whom,
                        url,
                    }),
                    ..Notes::default()
                },
                None => Notes {
                    added: Some(whom),
                    ..Notes::default()
                },
            };
            answer(&state, &session, from, notes, StatusCode::OK).await
        }
        Err(err) => {
            let input = InviteInput {
                email: form.email,
                name: form.name,
                role: form.role,
            };
            refused(&state, &session, from, err, input).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    from: String,
}

pub(super) async fn change_role(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<RoleForm>,
) -> Result<Response, PortalError> {
    let from = from_customer(&form.from)?;
    let body = PatchRequest {
        name: None,
        user_role: Some(form.role),
    };
    match update_member(&state, &session.principal, &id, body).await {
        Ok(_) => Ok(see_other(&back_to("/users", from, "users"))),
        Err(err) => refused(&state, &session, from, err, InviteInput::default()).await,
    }
}

#[derive(Deserialize)]
pub(super) struct FromForm {
    #[serde(default)]
    from: String,
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<FromForm>,
) -> Result<Response, PortalError> {
    let from = from_customer(&form.from)?;
    match remove_member(&state, &session.principal, &id).await {
        Ok(()) => Ok(see_other(&back_to("/users", from, "users"))),
        Err(err) => refused(&state, &session, from, err, InviteInput::default()).await,
    }
}

/// The e-mail of member `id` (for labelling a link).
async fn email_of(state: &AppState, session: &Session, id: &str) -> String {
    list_members(state, &session.principal)
        .await
        .ok()
        .and_then(|all| all.into_iter().find(|m| m.id.to_string() == id))
        .map(|m| m.email)
        .unwrap_or_default()
}

pub(super) async fn reinvite(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<FromForm>,
) -> Result<Response, PortalError> {
    let from = from_customer(&form.from)?;
    match new_invite_url(&state, &session.principal, &id).await {
        Ok(url) => {
            let notes = Notes {
                link: Some(ShownLink {
                    what: "Invite link",
                    whom: email_of(&state, &session, &id).await,
                    url,
                }),
                ..Notes::default()
            };
            answer(&state, &session, from, notes, StatusCode::OK).await
        }
        Err(err) => refused(&state, &session, from, err, InviteInput::default()).await,
    }
}

pub(super) async fn reset_link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<FromForm>,
) -> Result<Response, PortalError> {
    let from = from_customer(&form.from)?;
    match new_reset_url(&state, &session.principal, &id).await {
        Ok(url) => {
            let notes = Notes {
                link: Some(ShownLink {
                    what: "Password-reset link",
                    whom: email_of(&state, &session, &id).await,
                    url,
                }),
                ..Notes::default()
            };
            answer(&state, &session, from, notes, StatusCode::OK).await
        }
        Err(err) => refused(&state, &session, from, err, InviteInput::default()).await,
    }
}
