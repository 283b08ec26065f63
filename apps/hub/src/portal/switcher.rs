//! The organization switcher (HS §4.2), shown when the user has several
//! memberships: `/switch` lists them; choosing one swaps the session for a
//! token of that membership, from the same function as
//! `POST /auth/switch-context`, under the same rate limit.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use distr_domain::ids::OrganizationId;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::page::{Chrome, PortalError, html_with, see_other};
use super::session::{Session, session_cookie};
use super::users::role_label;
use crate::state::AppState;
use crate::user_api::context::{organizations_of, switch_token};
use crate::user_api::login::limit_auth;
use crate::user_api::parse_id;

/// One membership.
#[derive(Debug)]
struct OrgRow {
    id: String,
    name: String,
    role: &'static str,
    customer: bool,
    current: bool,
}

#[derive(Template)]
#[template(path = "portal/switch.html")]
struct SwitchPage {
    chrome: Chrome,
    orgs: Vec<OrgRow>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PortalError> {
    let orgs = organizations_of(&state, &session.principal)
        .await?
        .into_iter()
        .map(|o| OrgRow {
            current: o.organization.id == session.principal.organization_id,
            id: o.organization.id.to_string(),
            name: o.organization.name,
            role: role_label(o.user_role),
            customer: o.customer_organization_id.is_some(),
        })
        .collect();
    let page = SwitchPage {
        chrome: Chrome::new(&state, &session, ""),
        orgs,
    };
    Ok(html_with(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub(super) struct SwitchForm {
    #[serde(default)]
    organization_id: String,
}

pub(super) async fn switch(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    CsrfForm(session, form): CsrfForm<SwitchForm>,
) -> Result<Response, PortalError> {
    limit_auth(&state, "auth-switch-context", peer, &headers)?;
    let org: OrganizationId = parse_id(&form.organization_id)?;
    let token = switch_token(&state, &session.principal, Some(org)).await?;
    let mut response = see_other("/deployments");
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(&state, &token));
    Ok(response)
}
