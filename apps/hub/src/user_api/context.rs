//! The caller's session (HS §3.4 "Session and self-service"):
//! `GET /context`, `GET /organizations` and `POST /auth/switch-context`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use distr_domain::ids::{CustomerOrganizationId, OrganizationId};
use distr_domain::user::{Membership, UserRole};
use serde::{Deserialize, Serialize};

use super::JsonBody;
use super::login::{TokenResponse, limit_auth};
use super::organization::OrganizationView;
use super::users::UserView;
use super::views::ts;
use crate::auth::{UserPrincipal, issue_user_token};
use crate::problem::ApiError;
use crate::state::AppState;

/// One of the caller's organizations with the role held there.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrganizationWithRole {
    #[serde(flatten)]
    pub(crate) organization: OrganizationView,
    #[schema(value_type = String, example = "admin")]
    pub(crate) user_role: UserRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) customer_organization_id: Option<CustomerOrganizationId>,
    #[serde(serialize_with = "ts")]
    pub(crate) joined_org_at: DateTime<Utc>,
}

/// The caller's memberships with their organizations, oldest first.
///
/// # Errors
/// Store failures.
pub(crate) async fn organizations_of(
    state: &AppState,
    principal: &UserPrincipal,
) -> Result<Vec<OrganizationWithRole>, ApiError> {
    let memberships = state
        .store
        .list_memberships_of_user(principal.user_id)
        .await?;
    let mut out = Vec::with_capacity(memberships.len());
    for membership in &memberships {
        let org = state
            .store
            .get_organization(membership.organization_id)
            .await?;
        out.push(OrganizationWithRole {
            organization: OrganizationView::from(&org),
            user_role: membership.user_role,
            customer_organization_id: membership.customer_organization_id,
            joined_org_at: membership.created_at,
        });
    }
    Ok(out)
}

#[utoipa::path(
    get,
    operation_id = "listOrganizations",
    path = "/api/v1/organizations",
    tag = "session",
    summary = "The caller's organizations with the role held in each",
    responses((status = 200, description = "Oldest membership first", body = Vec<OrganizationWithRole>))
)]
pub(super) async fn organizations(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<Vec<OrganizationWithRole>>, ApiError> {
    Ok(Json(organizations_of(&state, &principal).await?))
}

/// A customer organization reference.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct CustomerRef {
    id: CustomerOrganizationId,
    name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ContextView {
    user: UserView,
    organization: OrganizationView,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_organization: Option<CustomerRef>,
    available_contexts: Vec<OrganizationWithRole>,
}

/// The caller's membership in the organization it acts in.
async fn own_membership(
    state: &AppState,
    principal: &UserPrincipal,
) -> Result<Membership, ApiError> {
    state
        .store
        .get_membership(principal.organization_id, principal.user_id)
        .await?
        .ok_or_else(ApiError::unauthorized)
}

#[utoipa::path(
    get,
    operation_id = "getContext",
    path = "/api/v1/context",
    tag = "session",
    summary = "The caller, their organization and customer, and every context they may switch to",
    responses((status = 200, description = "The context", body = ContextView))
)]
pub(super) async fn context(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<ContextView>, ApiError> {
    let membership = own_membership(&state, &principal).await?;
    let user = state.store.get_user(principal.user_id).await?;
    let organization = state
        .store
        .get_organization(principal.organization_id)
        .await?;
    let customer_organization = match membership.customer_organization_id {
        Some(id) => {
            let customer = state
                .store
                .get_customer(principal.organization_id, id)
                .await?;
            Some(CustomerRef {
                id,
                name: customer.name.as_str().to_owned(),
            })
        }
        None => None,
    };
    Ok(Json(ContextView {
        user: UserView::new(&user, &membership),
        organization: OrganizationView::from(&organization),
        customer_organization,
        available_contexts: organizations_of(&state, &principal).await?,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct SwitchContext {
    organization_id: Option<OrganizationId>,
}

/// `{organizationId}` → a user JWT for the caller's membership there. Only
/// sessions switch: a personal access token stays bound to its organization.
#[utoipa::path(
    post,
    operation_id = "switchContext",
    path = "/api/v1/auth/switch-context",
    tag = "session",
    summary = "A user JWT for another of the caller's memberships",
    request_body = SwitchContext,
    responses((status = 200, description = "A user JWT", body = TokenResponse))
)]
pub(super) async fn switch_context(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<SwitchContext>,
) -> Result<Json<TokenResponse>, ApiError> {
    limit_auth(&state, "auth-switch-context", peer, &headers)?;
    let token = switch_token(&state, &principal, body.organization_id).await?;
    Ok(Json(TokenResponse { token }))
}

/// A user JWT for the caller's membership in `org`
/// (`POST /auth/switch-context` after its rate limit).
///
/// # Errors
/// 403 for access tokens, 400 without `org`, 404 without a membership there.
pub(crate) async fn switch_token(
    state: &AppState,
    principal: &UserPrincipal,
    org: Option<OrganizationId>,
) -> Result<String, ApiError> {
    if principal.token_id.is_some() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "an access token cannot switch organizations",
        ));
    }
    let org = org.ok_or_else(|| {
        ApiError::validation("organizationId is required").with_field("/organizationId", "required")
    })?;
    let membership = state
        .store
        .get_membership(org, principal.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let user = state.store.get_user(principal.user_id).await?;
    let now = state.clock.now();
    state.store.record_login(user.id, org, now).await?;
    issue_user_token(&state.config, now, &user, &membership)
}
