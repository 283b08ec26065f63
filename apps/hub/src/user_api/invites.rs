//! `POST /auth/accept-invite` and `POST /auth/reset-password` (HS §3.2,
//! §3.4): a link token plus a new password log the user in. An invite is
//! void once the account has a password; a reset link once the password
//! changed after it was issued.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::{Extension, Json};
use distr_domain::names::Name;
use distr_domain::user::UserAccount;
use serde::Deserialize;

use super::JsonBody;
use super::login::{TokenResponse, limit_auth};
use crate::auth::{
    Link, LinkPurpose, default_membership, invalid_link, issue_user_token, verify_link_token,
};
use crate::problem::ApiError;
use crate::state::AppState;

/// Shortest password accepted from the API.
pub(super) const MIN_PASSWORD: usize = 8;
/// Longest password accepted (bounds the hashing work).
const MAX_PASSWORD: usize = 1024;

/// Checks a new password's length.
///
/// # Errors
/// 400 `validation-error` naming `pointer`.
pub(super) fn validate_password(password: &str, pointer: &str) -> Result<(), ApiError> {
    let length = password.chars().count();
    if (MIN_PASSWORD..=MAX_PASSWORD).contains(&length) {
        Ok(())
    } else {
        Err(ApiError::validation("invalid password").with_field(
            pointer,
            format!("must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long"),
        ))
    }
}

/// Checks an optional display name.
///
/// # Errors
/// 400 `validation-error` naming `/name`.
pub(super) fn validate_name(name: Option<&str>) -> Result<Option<Name>, ApiError> {
    name.map(|raw| {
        Name::parse("name", raw)
            .map_err(|e| ApiError::validation("invalid name").with_field("/name", e.reason))
    })
    .transpose()
}

/// A link token and the new password.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct LinkRequest {
    #[serde(default)]
    pub(crate) token: String,
    #[serde(default)]
    pub(crate) name: Option<String>,
    #[serde(default)]
    pub(crate) password: String,
}

#[utoipa::path(
    post,
    operation_id = "acceptInvite",
    path = "/api/v1/auth/accept-invite",
    tag = "session",
    summary = "Set the first password from an invite link and log in",
    request_body = LinkRequest,
    responses((status = 200, description = "A user JWT", body = TokenResponse)),
    security(())
)]
pub(super) async fn accept_invite(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<LinkRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    limit_auth(&state, "auth-accept-invite", peer, &headers)?;
    let token = use_link(&state, LinkPurpose::Invite, body).await?;
    Ok(Json(TokenResponse { token }))
}

#[utoipa::path(
    post,
    operation_id = "resetPassword",
    path = "/api/v1/auth/reset-password",
    tag = "session",
    summary = "Set a new password from a reset link and log in",
    request_body = LinkRequest,
    responses((status = 200, description = "A user JWT", body = TokenResponse)),
    security(())
)]
pub(super) async fn reset_password(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<LinkRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    limit_auth(&state, "auth-reset-password", peer, &headers)?;
    let token = use_link(&state, LinkPurpose::Reset, body).await?;
    Ok(Json(TokenResponse { token }))
}

/// Why a link cannot be used (the API answers 401 for both alike).
#[derive(Debug)]
pub(crate) enum LinkRefusal {
    /// Malformed, of another purpose, badly signed, or expired.
    Invalid,
    /// Valid, but spent: the invite's account has a password, or the
    /// password changed after the reset link was issued.
    Used,
    /// A store failure.
    Store(ApiError),
}

impl From<LinkRefusal> for ApiError {
    fn from(refusal: LinkRefusal) -> Self {
        match refusal {
            LinkRefusal::Invalid | LinkRefusal::Used => invalid_link(),
            LinkRefusal::Store(err) => err,
        }
    }
}

/// The link's token and account while the link can still be used.
///
/// # Errors
/// Why not.
pub(crate) async fn usable_link(
    state: &AppState,
    purpose: LinkPurpose,
    token: &str,
) -> Result<(Link, UserAccount), LinkRefusal> {
    let link =
        verify_link_token(&state.config, purpose, token).map_err(|_| LinkRefusal::Invalid)?;
    let user: UserAccount = match state.store.get_user(link.user_id).await {
        Ok(user) => user,
        Err(distr_ports::StoreError::NotFound) => return Err(LinkRefusal::Invalid),
        Err(err) => return Err(LinkRefusal::Store(err.into())),
    };
    let used = match purpose {
        LinkPurpose::Invite => user.password_hash.is_some(),
        LinkPurpose::Reset => false,
    };
    if used || link.is_stale_for(&user) {
        return Err(LinkRefusal::Used);
    }
    Ok((link, user))
}

/// Sets the password from an invite or reset link and returns a user JWT
/// (`POST /auth/accept-invite`, `/auth/reset-password` after their rate limit).
///
/// # Errors
/// 401 for an unusable link, 400 for an invalid password or name.
pub(crate) async fn use_link(
    state: &AppState,
    purpose: LinkPurpose,
    body: LinkRequest,
) -> Result<String, ApiError> {
    let (link, mut user) = usable_link(state, purpose, &body.token).await?;
    validate_password(&body.password, "/password")?;
    let name = validate_name(body.name.as_deref())?;
    let memberships = state.store.list_memberships_of_user(user.id).await?;
    let membership = link
        .organization_id
        .and_then(|org| memberships.iter().find(|m| m.organization_id == org))
        .or_else(|| default_membership(&user, &memberships))
        .ok_or_else(invalid_link)?
        .clone();
    let hash = state
        .passwords
        .hash_password(&body.password)
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "cannot hash password");
            ApiError::internal()
        })?;
    let now = state.clock.now();
    let previous_change = user.password_changed_at;
    user.password_hash = Some(hash);
    user.password_changed_at = Some(now);
    if let Some(name) = name {
        user.name = name;
    }
    // Compare-and-set: of racing uses of one link, only the first sets the password.
    if !state
        .store
        .set_password_if_unchanged(&user, previous_change)
        .await?
    {
        return Err(invalid_link());
    }
    state
        .store
        .record_login(user.id, membership.organization_id, now)
        .await?;
    issue_user_token(&state.config, now, &user, &membership)
}
