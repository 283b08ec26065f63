//! `/login` and `POST /logout` (HS §4.4): one generic message for every
//! failed login, the first-run hint while no organization exists (HS §6.1).

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::csrf::{CsrfForm, NoFields, check_origin};
use super::page::{Chrome, PortalError, html, html_with, see_other};
use super::session::{cleared_cookie, session_cookie};
use crate::state::AppState;
use crate::user_api::login::{client_ip, password_login};

#[derive(Template)]
#[template(path = "portal/login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    error: String,
    first_run: String,
}

/// Only same-site paths are followed after login.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_owned()
        }
        _ => "/deployments".to_owned(),
    }
}

async fn first_run_hint(state: &AppState) -> String {
    match state.store.count_organizations().await {
        Ok(0) => crate::server::first_run_hint(),
        _ => String::new(),
    }
}

pub(super) async fn form(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    html(&LoginPage {
        chrome: Chrome::default(),
        email: String::new(),
        next: safe_next(query.get("next").map(String::as_str)),
        error: String::new(),
        first_run: first_run_hint(&state).await,
    })
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PortalError> {
    check_origin(&state, &headers)?;
    let ip = client_ip(
        peer.map(|Extension(ConnectInfo(addr))| addr),
        &headers,
        &state.config.trusted_proxies,
    );
    let next = safe_next(form.next.as_deref());
    match password_login(&state, &ip, &form.email, &form.password).await {
        Ok(token) => {
            let mut response = see_other(&next);
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(&state, &token));
            Ok(response)
        }
        Err(err) if err.status == StatusCode::UNAUTHORIZED => Ok(html_with(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                chrome: Chrome::default(),
                email: form.email,
                next,
                error: err.detail,
                first_run: first_run_hint(&state).await,
            },
        )),
        Err(err) => Err(err.into()),
    }
}

pub(super) async fn logout(CsrfForm(_session, NoFields {}): CsrfForm<NoFields>) -> Response {
    let mut response = see_other("/login");
    response
        .headers_mut()
        .append(header::SET_COOKIE, cleared_cookie());
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/deployments/x")), "/deployments/x");
        assert_eq!(safe_next(Some("//evil.example")), "/deployments");
        assert_eq!(safe_next(Some("https://evil.example")), "/deployments");
        assert_eq!(safe_next(None), "/deployments");
    }
}
