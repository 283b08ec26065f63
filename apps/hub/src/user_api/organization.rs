//! `GET / PUT /organization` (HS §3.4): every member reads the caller's
//! organization; only vendor admins change it. The connect scripts and
//! flags feed the connect command (`distr_domain::manifest`, AP §2.3).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use distr_domain::ids::OrganizationId;
use distr_domain::names::Name;
use distr_domain::organization::Organization;
use distr_domain::user::UserRole;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use super::deployments::present_or_null;
use super::views::ts;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Longest connect script accepted.
const MAX_SCRIPT_BYTES: usize = 64 * 1024;

/// An organization (HS §2.2).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrganizationView {
    pub(crate) id: OrganizationId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pre_connect_script: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) post_connect_script: Option<String>,
    pub(crate) connect_script_is_sudo: bool,
    pub(crate) pre_post_scripts_enabled: bool,
}

impl From<&Organization> for OrganizationView {
    fn from(org: &Organization) -> Self {
        Self {
            id: org.id,
            created_at: org.created_at,
            name: org.name.as_str().to_owned(),
            slug: org.slug.clone(),
            pre_connect_script: org.pre_connect_script.clone(),
            post_connect_script: org.post_connect_script.clone(),
            connect_script_is_sudo: org.connect_script_is_sudo,
            pre_post_scripts_enabled: org.pre_post_scripts_enabled,
        }
    }
}

#[utoipa::path(
    get,
    operation_id = "getOrganization",
    path = "/api/v1/organization",
    tag = "users",
    summary = "The caller's organization",
    responses((status = 200, description = "The organization", body = OrganizationView))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<OrganizationView>, ApiError> {
    Ok(Json(get_organization(&state, &principal).await?))
}

/// The caller's organization (`GET /organization`).
///
/// # Errors
/// Store failures.
pub(crate) async fn get_organization(
    state: &AppState,
    principal: &UserPrincipal,
) -> Result<OrganizationView, ApiError> {
    let org = state
        .store
        .get_organization(principal.organization_id)
        .await?;
    Ok(OrganizationView::from(&org))
}

/// `PUT /organization`: `name` is required; an absent optional field keeps
/// its value, `null` (or an empty text) clears it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(clippy::option_option, reason = "absent keeps, null clears")]
pub(crate) struct UpdateOrganization {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default, deserialize_with = "present_or_null")]
    pub(crate) slug: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub(crate) pre_connect_script: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub(crate) post_connect_script: Option<Option<String>>,
    #[serde(default)]
    pub(crate) connect_script_is_sudo: Option<bool>,
    #[serde(default)]
    pub(crate) pre_post_scripts_enabled: Option<bool>,
}

/// `^[a-z0-9][a-z0-9-]{0,63}$` (HS §2.2).
fn valid_slug(slug: &str) -> bool {
    let bytes = slug.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && matches!(bytes[0], b'a'..=b'z' | b'0'..=b'9')
        && bytes
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// Applies one optional text field: absent keeps `current`, null or empty clears.
fn apply(current: Option<String>, update: Option<Option<String>>) -> Option<String> {
    match update {
        None => current,
        Some(value) => value.filter(|v| !v.is_empty()),
    }
}

fn apply_update(mut org: Organization, body: UpdateOrganization) -> Result<Organization, ApiError> {
    let mut err = ApiError::validation("invalid organization");
    match Name::parse("name", &body.name) {
        Ok(name) => org.name = name,
        Err(e) => err.push_field("/name", e.reason),
    }
    org.slug = apply(org.slug, body.slug);
    if org.slug.as_deref().is_some_and(|s| !valid_slug(s)) {
        err.push_field("/slug", "must match ^[a-z0-9][a-z0-9-]{0,63}$");
    }
    org.pre_connect_script = apply(org.pre_connect_script, body.pre_connect_script);
    org.post_connect_script = apply(org.post_connect_script, body.post_connect_script);
    for (pointer, script) in [
        ("/preConnectScript", &org.pre_connect_script),
        ("/postConnectScript", &org.post_connect_script),
    ] {
        if script.as_ref().is_some_and(|s| s.len() > MAX_SCRIPT_BYTES) {
            err.push_field(pointer, "at most 64 KiB");
        }
    }
    if let Some(sudo) = body.connect_script_is_sudo {
        org.connect_script_is_sudo = sudo;
    }
    if let Some(enabled) = body.pre_post_scripts_enabled {
        org.pre_post_scripts_enabled = enabled;
    }
    if err.errors.is_empty() {
        Ok(org)
    } else {
        Err(err)
    }
}

#[utoipa::path(
    put,
    operation_id = "updateOrganization",
    path = "/api/v1/organization",
    tag = "users",
    summary = "Change the organization's name, slug and connect scripts (vendor admins)",
    request_body = UpdateOrganization,
    responses((status = 200, description = "The organization", body = OrganizationView))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<UpdateOrganization>,
) -> Result<Json<OrganizationView>, ApiError> {
    Ok(Json(update_organization(&state, &principal, body).await?))
}

/// Whether the caller may change the organization (vendor admins).
pub(crate) fn may_edit_organization(principal: &UserPrincipal) -> bool {
    principal.is_vendor() && principal.role == UserRole::Admin
}

/// Changes the organization (`PUT /organization`), vendor admins only.
///
/// # Errors
/// 403 for anyone else; 400 for invalid fields.
pub(crate) async fn update_organization(
    state: &AppState,
    principal: &UserPrincipal,
    body: UpdateOrganization,
) -> Result<OrganizationView, ApiError> {
    if !may_edit_organization(principal) {
        return Err(ApiError::forbidden());
    }
    let org = state
        .store
        .get_organization(principal.organization_id)
        .await?;
    let org = apply_update(org, body)?;
    state.store.update_organization(&org).await?;
    Ok(OrganizationView::from(&org))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_pattern() {
        assert!(valid_slug("acme"));
        assert!(valid_slug("0-acme-9"));
        assert!(valid_slug(&"a".repeat(64)));
        assert!(!valid_slug(&"a".repeat(65)));
        assert!(!valid_slug("-acme"));
        assert!(!valid_slug("Acme"));
        assert!(!valid_slug("ac_me"));
        assert!(!valid_slug(""));
    }

    #[test]
    fn absent_keeps_null_and_empty_clear() {
        let keep = Some("x".to_owned());
        assert_eq!(apply(keep.clone(), None), keep);
        assert_eq!(apply(keep.clone(), Some(None)), None);
        assert_eq!(apply(keep, Some(Some(String::new()))), None);
        assert_eq!(apply(None, Some(Some("y".into()))), Some("y".into()));
    }
}
