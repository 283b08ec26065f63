//! `/join?token=` and `/reset?token=` (HS §4.4), public: the invite and
//! reset links the API and `distr-hub user reset-link` issue. Join sets the
//! name and first password, reset a new password; either then logs the user
//! in (session cookie). Expired or used links say why they no longer work.
//! The form posts the same `use_link` as `/auth/accept-invite` and
//! `/auth/reset-password`, under the same rate limits; the session-less form
//! is protected by the `Origin` check, like `/login`.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;

use super::csrf::check_origin;
use super::page::{Chrome, FormError, PortalError, html_with, see_other};
use super::session::session_cookie;
use crate::auth::LinkPurpose;
use crate::state::AppState;
use crate::user_api::invites::{LinkRefusal, LinkRequest, usable_link, use_link};
use crate::user_api::login::limit_auth;

#[derive(Template)]
#[template(path = "portal/link.html")]
struct LinkPage {
    chrome: Chrome,
    /// "join" or "reset".
    kind: &'static str,
    token: String,
    email: String,
    name: String,
    /// Why the link cannot be used; the form is shown only while empty.
    refusal: String,
    error: FormError,
}

const fn kind(purpose: LinkPurpose) -> &'static str {
    match purpose {
        LinkPurpose::Invite => "join",
        LinkPurpose::Reset => "reset",
    }
}

fn hours(duration: std::time::Duration) -> u64 {
    duration.as_secs().div_ceil(3600)
}

/// Why a link is refused, in words, with its status.
fn explain(
    state: &AppState,
    purpose: LinkPurpose,
    refusal: LinkRefusal,
) -> Result<(StatusCode, String), PortalError> {
    let ask = "Ask an administrator of your organization for a new link.";
    match (refusal, purpose) {
        (LinkRefusal::Store(err), _) => Err(err.into()),
        (LinkRefusal::Invalid, LinkPurpose::Invite) => Ok((
            StatusCode::BAD_REQUEST,
            format!(
                "This invite link is invalid or has expired (invite links are valid for {} hours). {ask}",
                hours(state.config.invite_token_valid)
            ),
        )),
        (LinkRefusal::Invalid, LinkPurpose::Reset) => Ok((
            StatusCode::BAD_REQUEST,
            format!(
                "This password-reset link is invalid or has expired (reset links are valid for {} hours). {ask}",
                hours(state.config.reset_token_valid)
            ),
        )),
        (LinkRefusal::Used, LinkPurpose::Invite) => Ok((
            StatusCode::GONE,
            format!(
                "This invite link has already been used: the account has a password. Sign in instead, or use a password-reset link. {ask}"
            ),
        )),
        (LinkRefusal::Used, LinkPurpose::Reset) => Ok((
            StatusCode::GONE,
            format!(
                "This password-reset link has already been used, or the password changed after it was issued. {ask}"
            ),
        )),
    }
}

async fn show(
    state: &AppState,
    purpose: LinkPurpose,
    token: String,
    name: Option<String>,
    error: FormError,
    status: StatusCode,
) -> Result<Response, PortalError> {
    let mut page = LinkPage {
        chrome: Chrome::default(),
        kind: kind(purpose),
        token: String::new(),
        email: String::new(),
        name: String::new(),
        refusal: String::new(),
        error,
    };
    match usable_link(state, purpose, &token).await {
        Ok((_, user)) => {
            page.email = user.email.as_str().to_owned();
            page.name = name.unwrap_or_else(|| user.name.as_str().to_owned());
            page.token = token;
            Ok(html_with(status, &page))
        }
        Err(refusal) => {
            let (status, why) = explain(state, purpose, refusal)?;
            page.refusal = why;
            Ok(html_with(status, &page))
        }
    }
}

#[derive(Deserialize)]
pub(super) struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub(super) async fn join_form(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, PortalError> {
    let purpose = LinkPurpose::Invite;
    show(
        &state,
        purpose,
        query.token,
        None,
        FormError::default(),
        StatusCode::OK,
    )
    .await
}

pub(super) async fn reset_form(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, PortalError> {
    let purpose = LinkPurpose::Reset;
    show(
        &state,
        purpose,
        query.token,
        None,
        FormError::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct LinkForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    password: String,
}

async fn submit(
    state: &AppState,
    purpose: LinkPurpose,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
    form: LinkForm,
) -> Result<Response, PortalError> {
    check_origin(state, headers)?;
    let endpoint = match purpose {
        LinkPurpose::Invite => "auth-accept-invite",
        LinkPurpose::Reset => "auth-reset-password",
    };
    limit_auth(state, endpoint, peer, headers)?;
    let name = match purpose {
        LinkPurpose::Invite => form.name.clone(),
        LinkPurpose::Reset => None,
    };
    let body = LinkRequest {
        token: form.token.clone(),
        name: name.clone(),
        password: form.password,
    };
    match use_link(state, purpose, body).await {
        Ok(token) => {
            let mut response = see_other("/deployments");
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(state, &token));
            Ok(response)
        }
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            show(
                state,
                purpose,
                form.token,
                name,
                err.into(),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(err) if err.status == StatusCode::UNAUTHORIZED => {
            show(
                state,
                purpose,
                form.token,
                name,
                FormError::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(err) => Err(PortalError::Api(err)),
    }
}

pub(super) async fn join(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LinkForm>,
) -> Result<Response, PortalError> {
    submit(&state, LinkPurpose::Invite, peer, &headers, form).await
}

pub(super) async fn reset(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LinkForm>,
) -> Result<Response, PortalError> {
    submit(&state, LinkPurpose::Reset, peer, &headers, form).await
}
