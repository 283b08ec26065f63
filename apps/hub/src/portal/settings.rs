//! `/settings/profile`, `/settings/access-tokens` and
//! `/settings/organization` (HS §4.4): the caller's name and password, their
//! personal access tokens (the key shown once, `no-store`), and for vendor
//! admins the organization's name, slug and connect scripts. Each calls the
//! function behind the matching `/api/v1` route.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::csrf::{CsrfForm, NoFields};
use super::dots::when;
use super::page::{Chrome, FormError, PortalError, html_with, see_other};
use super::session::{Session, session_cookie};
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::organization::{
    UpdateOrganization, get_organization, may_edit_organization, update_organization,
};
use crate::user_api::profile::{UpdateProfile, update_profile};
use crate::user_api::tokens::{CreateToken, create_token, list_tokens, revoke_token};

/// An error shown inline, or (404 and server errors) as an error page.
fn inline(err: ApiError) -> Result<(StatusCode, FormError), PortalError> {
    if err.status == StatusCode::NOT_FOUND || !err.status.is_client_error() {
        Err(err.into())
    } else {
        Ok((err.status, err.into()))
    }
}

#[derive(Template)]
#[template(path = "portal/settings_profile.html")]
struct ProfilePage {
    chrome: Chrome,
    name: String,
    email: String,
    saved: &'static str,
    error: FormError,
}

async fn profile_page(
    state: &AppState,
    session: &Session,
    saved: &'static str,
    error: FormError,
    status: StatusCode,
) -> Result<Response, PortalError> {
    let user = state
        .store
        .get_user(session.principal.user_id)
        .await
        .map_err(ApiError::from)?;
    let page = ProfilePage {
        chrome: Chrome::new(state, session, "settings"),
        name: user.name.as_str().to_owned(),
        email: user.email.as_str().to_owned(),
        saved,
        error,
    };
    Ok(html_with(status, &page))
}

pub(super) async fn profile(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let saved = match query.get("saved").map(String::as_str) {
        Some("name") => "Your name was saved.",
        Some("password") => "Your password was changed; other sessions were signed out.",
        _ => "",
    };
    profile_page(
        &state,
        &session,
        saved,
        FormError::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct ProfileForm {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    current_password: Option<String>,
}

pub(super) async fn save_profile(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<ProfileForm>,
) -> Result<Response, PortalError> {
    let changes_password = form.password.is_some();
    let body = UpdateProfile {
        name: form.name,
        password: form.password,
        current_password: form.current_password.filter(|p| !p.is_empty()),
    };
    match update_profile(&state, &session.principal, body).await {
        Ok(done) => {
            let saved = if changes_password { "password" } else { "name" };
            let mut response = see_other(&format!("/settings/profile?saved={saved}"));
            // A new password voids older sessions: this one continues with
            // the fresh token.
            if let Some(token) = done.token {
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, session_cookie(&state, &token));
            }
            Ok(response)
        }
        Err(err) => {
            let (status, error) = inline(err)?;
            profile_page(&state, &session, "", error, status).await
        }
    }
}

/// One token row.
#[derive(Debug)]
struct TokenRow {
    id: String,
    label: String,
    hint: String,
    created: String,
    expires: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "portal/settings_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    tokens: Vec<TokenRow>,
    /// The new token's key: shown once, in this `no-store` answer only.
    key: String,
    label: String,
    error: FormError,
}

async fn tokens_page(
    state: &AppState,
    session: &Session,
    key: String,
    label: String,
    error: FormError,
    status: StatusCode,
) -> Result<Response, PortalError> {
    let tokens = list_tokens(state, &session.principal)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            label: t.label,
            hint: t.key_hint,
            created: when(t.created_at),
            expires: t.expires_at.map(when).unwrap_or_default(),
            last_used: t.last_used_at.map(when).unwrap_or_default(),
        })
        .collect();
    let page = TokensPage {
        chrome: Chrome::new(state, session, "settings"),
        tokens,
        key,
        label,
        error,
    };
    Ok(html_with(status, &page))
}

pub(super) async fn tokens(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PortalError> {
    tokens_page(
        &state,
        &session,
        String::new(),
        String::new(),
        FormError::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct TokenForm {
    #[serde(default)]
    label: String,
    /// `YYYY-MM-DD` from a date input; empty = never expires.
    #[serde(default)]
    expires: String,
}

/// The end of `YYYY-MM-DD` in UTC.
fn end_of_day(raw: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .map(|t| Some(t.and_utc()))
        .ok_or_else(|| {
            ApiError::validation("invalid expiry date").with_field("/expiresAt", "not a date")
        })
}

pub(super) async fn create_token_form(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<TokenForm>,
) -> Result<Response, PortalError> {
    let created = match end_of_day(&form.expires) {
        Ok(expires_at) => {
            let body = CreateToken {
                label: Some(form.label.clone()),
                expires_at,
            };
            create_token(&state, &session.principal, body).await
        }
        Err(err) => Err(err),
    };
    match created {
        Ok(token) => {
            let key = token.key.unwrap_or_default();
            tokens_page(
                &state,
                &session,
                key,
                String::new(),
                FormError::default(),
                StatusCode::CREATED,
            )
            .await
        }
        Err(err) => {
            let (status, error) = inline(err)?;
            tokens_page(&state, &session, String::new(), form.label, error, status).await
        }
    }
}

pub(super) async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PortalError> {
    revoke_token(&state, &session.principal, &id).await?;
    Ok(see_other("/settings/access-tokens"))
}

#[derive(Template)]
#[template(path = "portal/settings_organization.html")]
struct OrganizationPage {
    chrome: Chrome,
    form: OrganizationForm,
    saved: bool,
    error: FormError,
}

/// The organization form, kept when validation fails.
#[derive(Debug, Default, Deserialize)]
pub(super) struct OrganizationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    pre_connect_script: String,
    #[serde(default)]
    post_connect_script: String,
    #[serde(default)]
    connect_script_is_sudo: Option<String>,
    #[serde(default)]
    pre_post_scripts_enabled: Option<String>,
}

fn require_org_admin(session: &Session) -> Result<(), ApiError> {
    if may_edit_organization(&session.principal) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

pub(super) async fn organization(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    require_org_admin(&session)?;
    let org = get_organization(&state, &session.principal).await?;
    let on = |b: bool| b.then(|| "on".to_owned());
    let page = OrganizationPage {
        chrome: Chrome::new(&state, &session, "settings"),
        form: OrganizationForm {
            name: org.name,
            slug: org.slug.unwrap_or_default(),
            pre_connect_script: org.pre_connect_script.unwrap_or_default(),
            post_connect_script: org.post_connect_script.unwrap_or_default(),
            connect_script_is_sudo: on(org.connect_script_is_sudo),
            pre_post_scripts_enabled: on(org.pre_post_scripts_enabled),
        },
        saved: query.contains_key("saved"),
        error: FormError::default(),
    };
    Ok(html_with(StatusCode::OK, &page))
}

pub(super) async fn save_organization(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<OrganizationForm>,
) -> Result<Response, PortalError> {
    require_org_admin(&session)?;
    // An empty field clears (the API's `null`); checkboxes send only when on.
    let text = |v: &str| Some(Some(v.to_owned()).filter(|v| !v.trim().is_empty()));
    let body = UpdateOrganization {
        name: form.name.clone(),
        slug: text(&form.slug),
        pre_connect_script: text(&form.pre_connect_script),
        post_connect_script: text(&form.post_connect_script),
        connect_script_is_sudo: Some(form.connect_script_is_sudo.is_some()),
        pre_post_scripts_enabled: Some(form.pre_post_scripts_enabled.is_some()),
    };
    match update_organization(&state, &session.principal, body).await {
        Ok(_) => Ok(see_other("/settings/organization?saved=1")),
        Err(err) => {
            let (status, error) = inline(err)?;
            let page = OrganizationPage {
                chrome: Chrome::new(&state, &session, "settings"),
                form,
                saved: false,
                error,
            };
            Ok(html_with(status, &page))
        }
    }
}
