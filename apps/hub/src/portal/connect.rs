//! The connect flow (HS §4.5): a POST rotates the target secret and its
//! answer page shows the command once, with `no-store`; the command never
//! goes into a redirect, a flash message or a cookie. The portal offers it
//! only on `not_connected` (Connect) and `stale` (Reconnect) targets.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use serde::Deserialize;

use super::csrf::{CsrfForm, fingerprint};
use super::dots::connect_action;
use super::page::{Chrome, PortalError, html};
use super::session::Session;
use crate::agent_api::access_request::rotate_target_secret;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::parse_id;
use distr_domain::ids::TargetId;

use crate::user_api::targets::{view_one, visible_target};
use crate::user_api::views::TargetView;

#[derive(Template)]
#[template(path = "portal/connect_confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    issued: String,
    id: String,
    name: String,
    action: &'static str,
}

#[derive(Template)]
#[template(path = "portal/connect.html")]
struct CommandPage {
    chrome: Chrome,
    id: String,
    name: String,
    command: String,
    kubernetes_namespace: String,
}

/// Binds the confirm form to the target's current credentials: after a
/// rotation it no longer matches, so reloading the answer page (which
/// re-posts the form) shows no second command.
async fn issued(state: &AppState, session: &Session, id: TargetId) -> Result<String, ApiError> {
    let target = visible_target(state, &session.principal, id).await?;
    let (salt, hash) = target.secret.as_ref().map_or((&[][..], &[][..]), |s| {
        (s.salt.as_slice(), s.hash.as_slice())
    });
    let id = id.to_string();
    Ok(fingerprint(
        &state.config.jwt_secret,
        "distr-portal-connect",
        &[id.as_bytes(), salt, hash],
    ))
}

/// The target and its allowed action; writers only, never while connected.
async fn connectable(
    state: &AppState,
    session: &Session,
    raw_id: &str,
) -> Result<(TargetView, &'static str), PortalError> {
    let target = view_one(state, &session.principal, parse_id(raw_id)?).await?;
    session.principal.require_write()?;
    let action = connect_action(target.connection_state).ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "connected",
            "this target is connected; it needs no new credentials",
        )
    })?;
    Ok((target, action))
}

pub(super) async fn confirm(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    let (target, action) = connectable(&state, &session, &id).await?;
    Ok(html(&ConfirmPage {
        chrome: Chrome::new(&state, &session, "deployments"),
        issued: issued(&state, &session, target.id).await?,
        id: target.id.to_string(),
        name: target.name,
        action,
    }))
}

#[derive(Deserialize)]
pub(super) struct ConnectForm {
    #[serde(default)]
    issued: String,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<ConnectForm>,
) -> Result<Response, PortalError> {
    let (target, _) = connectable(&state, &session, &id).await?;
    if form.issued != issued(&state, &session, target.id).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already-shown",
            "the connect command was shown once already; open Connect or Reconnect again \
             to create new credentials",
        )
        .into());
    }
    let access = rotate_target_secret(&state, &session.principal, target.id).await?;
    Ok(html(&CommandPage {
        chrome: Chrome::new(&state, &session, "deployments"),
        id: target.id.to_string(),
        name: target.name,
        command: access.connect_command,
        kubernetes_namespace: target.namespace.unwrap_or_default(),
    }))
}
