//! `/user-accounts` (HS §3.4 "Users and customers"): the members of the
//! caller's organization, invites, role changes, removal and reset links.
//!
//! Who may manage whom (HS §3.3): vendor admins manage everyone; vendor
//! `read_write` members only customer users (¹); customer admins only users
//! of their own customer (others are invisible, so 404); nobody changes their
//! own role or removes their own membership; the last vendor admin stays
//! (409 `last-admin`, enforced atomically by the store).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use distr_domain::ids::{CustomerOrganizationId, OrganizationId, UserAccountId};
use distr_domain::names::Email;
use distr_domain::user::{Membership, UserAccount, UserRole};
use serde::{Deserialize, Serialize};

use super::invites::validate_name;
use super::views::{opt_ts, ts};
use super::{JsonBody, parse_id};
use crate::auth::{LinkPurpose, UserPrincipal, issue_link_token, link_url};
use crate::problem::ApiError;
use crate::state::AppState;

/// A user as a member of one organization (HS §3.6).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserView {
    pub(crate) id: UserAccountId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) email: String,
    pub(crate) name: String,
    #[schema(value_type = String, example = "read_write")]
    pub(crate) user_role: UserRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) customer_organization_id: Option<CustomerOrganizationId>,
    #[serde(serialize_with = "ts")]
    pub(crate) joined_org_at: DateTime<Utc>,
    pub(crate) active: bool,
    #[serde(serialize_with = "opt_ts", skip_serializing_if = "Option::is_none")]
    pub(crate) last_logged_in_at: Option<DateTime<Utc>>,
}

impl UserView {
    pub(super) fn new(user: &UserAccount, membership: &Membership) -> Self {
        Self {
            id: user.id,
            created_at: user.created_at,
            email: user.email.as_str().to_owned(),
            name: user.name.as_str().to_owned(),
            user_role: membership.user_role,
            customer_organization_id: membership.customer_organization_id,
            joined_org_at: membership.created_at,
            active: user.password_hash.is_some(),
            last_logged_in_at: user.last_logged_in_at,
        }
    }
}

/// A member of the caller's organization that the caller may see:
/// 404 for non-members and, for customer callers, users of other customers
/// and vendor users.
async fn visible_member(
    state: &AppState,
    principal: &UserPrincipal,
    raw_id: &str,
) -> Result<(UserAccount, Membership), ApiError> {
    let id: UserAccountId = parse_id(raw_id)?;
    let membership = state
        .store
        .get_membership(principal.organization_id, id)
        .await?
        .filter(|m| principal.can_see(m.customer_organization_id))
        .ok_or_else(ApiError::not_found)?;
    let user = state.store.get_user(id).await?;
    Ok((user, membership))
}

/// Whether the caller may invite, change or remove members of `customer`
/// (`None` = vendor members): admins in their scope, and vendor `read_write`
/// members for customer users only (¹).
fn require_manager(
    principal: &UserPrincipal,
    customer: Option<CustomerOrganizationId>,
) -> Result<(), ApiError> {
    if may_manage(principal, customer) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// Whether the caller may invite, change or remove members of `customer`
/// (the rule behind [`require_manager`], for hiding forbidden actions).
pub(crate) fn may_manage(
    principal: &UserPrincipal,
    customer: Option<CustomerOrganizationId>,
) -> bool {
    match principal.role {
        UserRole::Admin => principal.can_see(customer),
        UserRole::ReadWrite => principal.is_vendor() && customer.is_some(),
        UserRole::ReadOnly => false,
    }
}

/// Whether the caller may issue password-reset links (admins, in scope).
pub(crate) fn may_issue_reset(principal: &UserPrincipal) -> bool {
    principal.role == UserRole::Admin
}

/// Refuses changes of the caller's own role or membership: 409 `last-admin`
/// when the caller is the organization's only vendor admin (HS §7 item 51),
/// 403 otherwise.
async fn require_other(
    state: &AppState,
    principal: &UserPrincipal,
    target: &Membership,
) -> Result<(), ApiError> {
    if principal.user_id != target.user_account_id {
        return Ok(());
    }
    let is_vendor_admin =
        |m: &Membership| m.user_role == UserRole::Admin && m.customer_organization_id.is_none();
    if is_vendor_admin(target) {
        let members = state
            .store
            .list_memberships_of_organization(principal.organization_id)
            .await?;
        if members.iter().filter(|m| is_vendor_admin(m)).count() <= 1 {
            return Err(distr_ports::StoreError::LastAdmin.into());
        }
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "you cannot change your own role or membership",
    ))
}

#[utoipa::path(
    get,
    operation_id = "listUserAccounts",
    path = "/api/v1/user-accounts",
    tag = "users",
    summary = "List the members the caller may see",
    responses((status = 200, description = "Vendor callers: every member; customer callers: their customer's", body = Vec<UserView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<Vec<UserView>>, ApiError> {
    Ok(Json(list_members(&state, &principal).await?))
}

/// The members the caller may see (`GET /user-accounts`), in a constant
/// number of statements.
///
/// # Errors
/// Store failures.
pub(crate) async fn list_members(
    state: &AppState,
    principal: &UserPrincipal,
) -> Result<Vec<UserView>, ApiError> {
    let members = state
        .store
        .list_members_of_organization(principal.organization_id)
        .await?;
    Ok(members
        .iter()
        .filter(|(m, _)| principal.can_see(m.customer_organization_id))
        .map(|(membership, user)| UserView::new(user, membership))
        .collect())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InviteRequest {
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) user_role: String,
    #[serde(default)]
    pub(crate) customer_organization_id: Option<CustomerOrganizationId>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InviteResponse {
    pub(crate) user: UserView,
    pub(crate) invite_url: Option<String>,
}

struct ValidInvite {
    email: Email,
    name: distr_domain::names::Name,
    role: UserRole,
}

fn validate_invite(body: &InviteRequest) -> Result<ValidInvite, ApiError> {
    let mut err = ApiError::validation("invalid user");
    let email = Email::parse(&body.email)
        .map_err(|e| err.push_field("/email", e.reason))
        .ok();
    let name = validate_name(Some(&body.name))
        .map_err(|e| err.errors.extend(e.errors))
        .ok()
        .flatten();
    let role = body
        .user_role
        .parse::<UserRole>()
        .map_err(|e| err.push_field("/userRole", e.reason))
        .ok();
    match (email, name, role) {
        (Some(email), Some(name), Some(role)) => Ok(ValidInvite { email, name, role }),
        _ => Err(err),
    }
}

/// The customer a new member joins: a customer caller's own, whatever the
/// body says (HS §3.3); for vendor callers the body's, which must exist.
async fn invite_customer(
    state: &AppState,
    principal: &UserPrincipal,
    requested: Option<CustomerOrganizationId>,
) -> Result<Option<CustomerOrganizationId>, ApiError> {
    if let Some(own) = principal.customer_organization_id {
        return Ok(Some(own));
    }
    let Some(customer) = requested else {
        return Ok(None);
    };
    match state
        .store
        .get_customer(principal.organization_id, customer)
        .await
    {
        Ok(found) => Ok(Some(found.id)),
        Err(distr_ports::StoreError::NotFound) => {
            Err(ApiError::validation("unknown customer organization")
                .with_field("/customerOrganizationId", "no such customer organization"))
        }
        Err(err) => Err(err.into()),
    }
}

/// A fresh invite link for `user` into `org`.
fn invite_url(
    state: &AppState,
    user: &UserAccount,
    org: OrganizationId,
) -> Result<String, ApiError> {
    let token = issue_link_token(
        &state.config,
        state.clock.now(),
        LinkPurpose::Invite,
        user,
        Some(org),
    )?;
    Ok(link_url(&state.config, LinkPurpose::Invite, &token))
}

#[utoipa::path(
    post,
    operation_id = "inviteUserAccount",
    path = "/api/v1/user-accounts",
    tag = "users",
    summary = "Invite a user, or add an existing account",
    request_body = InviteRequest,
    responses((status = 201, description = "The member, with an invite link for a new account", body = InviteResponse))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<InviteRequest>,
) -> Result<(StatusCode, Json<InviteResponse>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(invite(&state, &principal, body).await?),
    ))
}

/// Invites a user, or adds an existing account (`POST /user-accounts`).
///
/// # Errors
/// As the route: 403, 400 `validation-error`, store failures.
pub(crate) async fn invite(
    state: &AppState,
    principal: &UserPrincipal,
    body: InviteRequest,
) -> Result<InviteResponse, ApiError> {
    if !principal.role.can_write() {
        return Err(ApiError::forbidden());
    }
    let customer = invite_customer(state, principal, body.customer_organization_id).await?;
    require_manager(principal, customer)?;
    let input = validate_invite(&body)?;
    let now = state.clock.now();
    let (user, created) = match state.store.find_user_by_email(&input.email).await? {
        Some(user) => (user, false),
        None => {
            let user = UserAccount {
                id: UserAccountId::from_uuid(uuid::Uuid::now_v7()),
                created_at: now,
                email: input.email,
                name: input.name,
                password_hash: None,
                password_changed_at: None,
                last_logged_in_at: None,
                last_used_organization_id: None,
            };
            state.store.create_user(&user).await?;
            (user, true)
        }
    };
    let membership = Membership {
        organization_id: principal.organization_id,
        user_account_id: user.id,
        user_role: input.role,
        customer_organization_id: customer,
        created_at: now,
    };
    state.store.create_membership(&membership).await?;
    let invite_url = if created {
        Some(invite_url(state, &user, principal.organization_id)?)
    } else {
        None
    };
    Ok(InviteResponse {
        user: UserView::new(&user, &membership),
        invite_url,
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PatchRequest {
    #[serde(default)]
    pub(crate) name: Option<String>,
    #[serde(default)]
    pub(crate) user_role: Option<String>,
}

#[utoipa::path(
    patch,
    operation_id = "updateUserAccount",
    path = "/api/v1/user-accounts/{id}",
    tag = "users",
    summary = "Rename a member or change their role",
    params(("id" = uuid::Uuid, Path, description = "The user account id")),
    request_body = PatchRequest,
    responses((status = 200, description = "The member", body = UserView), (status = 409, description = "The organization would have no vendor admin left (last-admin)", body = crate::openapi::Problem, content_type = "application/problem+json"))
)]
pub(super) async fn patch(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PatchRequest>,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(update_member(&state, &principal, &id, body).await?))
}

/// Renames a member or changes their role (`PATCH /user-accounts/{id}`).
///
/// # Errors
/// As the route: 404, 403, 400, 409 `last-admin`.
pub(crate) async fn update_member(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    body: PatchRequest,
) -> Result<UserView, ApiError> {
    let (mut user, mut membership) = visible_member(state, principal, id).await?;
    require_manager(principal, membership.customer_organization_id)?;
    let name = validate_name(body.name.as_deref())?;
    let role = body
        .user_role
        .as_deref()
        .map(str::parse::<UserRole>)
        .transpose()
        .map_err(|e| ApiError::validation("invalid role").with_field("/userRole", e.reason))?;
    if let Some(role) = role.filter(|r| *r != membership.user_role) {
        require_other(state, principal, &membership).await?;
        state
            .store
            .update_membership_role(principal.organization_id, user.id, role)
            .await?;
        membership.user_role = role;
    }
    if let Some(name) = name {
        user.name = name;
        state.store.update_user(&user).await?;
    }
    Ok(UserView::new(&user, &membership))
}

#[utoipa::path(
    delete,
    operation_id = "deleteUserAccount",
    path = "/api/v1/user-accounts/{id}",
    tag = "users",
    summary = "Remove a membership and the member's tokens in the organization",
    params(("id" = uuid::Uuid, Path, description = "The user account id")),
    responses((status = 204, description = "Removed"), (status = 409, description = "The organization would have no vendor admin left (last-admin)", body = crate::openapi::Problem, content_type = "application/problem+json"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    remove_member(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a membership (`DELETE /user-accounts/{id}`).
///
/// # Errors
/// As the route: 404, 403, 409 `last-admin`.
pub(crate) async fn remove_member(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<(), ApiError> {
    let (user, membership) = visible_member(state, principal, id).await?;
    require_manager(principal, membership.customer_organization_id)?;
    require_other(state, principal, &membership).await?;
    state
        .store
        .delete_membership(principal.organization_id, user.id)
        .await?;
    Ok(())
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct InviteLink {
    invite_url: String,
}

#[utoipa::path(
    post,
    operation_id = "reinviteUserAccount",
    path = "/api/v1/user-accounts/{id}/invite",
    tag = "users",
    summary = "A new invite link for an account that is not active yet",
    params(("id" = uuid::Uuid, Path, description = "The user account id")),
    responses((status = 200, description = "The invite link", body = InviteLink))
)]
pub(super) async fn reinvite(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Json<InviteLink>, ApiError> {
    Ok(Json(InviteLink {
        invite_url: new_invite_url(&state, &principal, &id).await?,
    }))
}

/// A new invite link for an account that is not active yet
/// (`POST /user-accounts/{id}/invite`).
///
/// # Errors
/// As the route: 404, 403, 400 for an active account.
pub(crate) async fn new_invite_url(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<String, ApiError> {
    let (user, membership) = visible_member(state, principal, id).await?;
    require_manager(principal, membership.customer_organization_id)?;
    if user.password_hash.is_some() {
        return Err(ApiError::validation("the account is already active"));
    }
    invite_url(state, &user, principal.organization_id)
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ResetLink {
    reset_url: String,
}

#[utoipa::path(
    post,
    operation_id = "createPasswordResetLink",
    path = "/api/v1/user-accounts/{id}/password-reset",
    tag = "users",
    summary = "A password-reset link for a member",
    params(("id" = uuid::Uuid, Path, description = "The user account id")),
    responses((status = 200, description = "The reset link", body = ResetLink))
)]
pub(super) async fn password_reset(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Json<ResetLink>, ApiError> {
    Ok(Json(ResetLink {
        reset_url: new_reset_url(&state, &principal, &id).await?,
    }))
}

/// A password-reset link for a member (`POST /user-accounts/{id}/password-reset`).
///
/// # Errors
/// As the route: 404, 403.
pub(crate) async fn new_reset_url(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<String, ApiError> {
    let (user, _) = visible_member(state, principal, id).await?;
    if !may_issue_reset(principal) {
        return Err(ApiError::forbidden());
    }
    let token = issue_link_token(
        &state.config,
        state.clock.now(),
        LinkPurpose::Reset,
        &user,
        Some(principal.organization_id),
    )?;
    Ok(link_url(&state.config, LinkPurpose::Reset, &token))
}
