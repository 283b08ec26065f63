//! User authentication (HS §3.2): user JWTs and personal access tokens,
//! resolved into a [`UserPrincipal`] with the caller's *current* membership.

mod jwt;
mod links;
mod pat;

pub use jwt::{UserClaims, authenticate_with_claims, issue_user_token};
pub use links::{
    Link, LinkClaims, LinkPurpose, invalid_link, issue_link_token, link_url, verify_link_token,
};
pub use pat::{PAT_PREFIX, hash_token, new_token_text};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use distr_domain::ids::{AccessTokenId, CustomerOrganizationId, OrganizationId, UserAccountId};
use distr_domain::user::{Membership, UserAccount, UserRole};

use crate::problem::ApiError;
use crate::router::{AccessNote, note_access};
use crate::state::AppState;

/// The membership a fresh session starts in: the last used organization,
/// otherwise the oldest membership (`memberships` oldest first).
#[must_use]
pub fn default_membership<'a>(
    user: &UserAccount,
    memberships: &'a [Membership],
) -> Option<&'a Membership> {
    user.last_used_organization_id
        .and_then(|org| memberships.iter().find(|m| m.organization_id == org))
        .or_else(|| memberships.first())
}

/// User API requests per principal and 60 s window (HS §3.5).
pub const USER_API_LIMIT: u32 = 600;

/// An authenticated user acting in one organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPrincipal {
    /// The user.
    pub user_id: UserAccountId,
    /// The organization the credential acts in.
    pub organization_id: OrganizationId,
    /// The current role in that organization.
    pub role: UserRole,
    /// Set for customer members.
    pub customer_organization_id: Option<CustomerOrganizationId>,
    /// Set when authenticated by a personal access token.
    pub token_id: Option<AccessTokenId>,
}

impl UserPrincipal {
    /// Whether the caller is a vendor member (sees the whole organization).
    #[must_use]
    pub const fn is_vendor(&self) -> bool {
        self.customer_organization_id.is_none()
    }

    /// Refuses read-only callers.
    ///
    /// # Errors
    /// 403 `forbidden` for `read_only`.
    pub fn require_write(&self) -> Result<(), ApiError> {
        if self.role.can_write() {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// Refuses customer members (vendor-only operations).
    ///
    /// # Errors
    /// 403 `forbidden` for customer members.
    pub fn require_vendor(&self) -> Result<(), ApiError> {
        if self.is_vendor() {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// Whether an object owned by `owner` (`None` = vendor-owned) is in the caller's scope.
    #[must_use]
    pub fn can_see(&self, owner: Option<CustomerOrganizationId>) -> bool {
        self.is_vendor() || self.customer_organization_id == owner
    }

    pub(crate) fn rate_key(&self) -> String {
        match self.token_id {
            Some(token) => format!("token:{token}"),
            None => format!("user:{}:{}", self.user_id, self.organization_id),
        }
    }
}

enum Credential<'a> {
    Bearer(&'a str),
    AccessToken(&'a str),
}

fn credential(parts: &Parts) -> Option<Credential<'_>> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        Some(Credential::Bearer(rest))
    } else if scheme.eq_ignore_ascii_case("accesstoken") {
        Some(Credential::AccessToken(rest))
    } else {
        None
    }
}

/// Resolves the caller from the request headers.
///
/// # Errors
/// 401 `unauthorized` for a missing, malformed, expired or revoked credential,
/// a non-user audience or a changed membership; 429 over the user API limit.
pub async fn authenticate(parts: &Parts, state: &AppState) -> Result<UserPrincipal, ApiError> {
    let principal = match credential(parts).ok_or_else(ApiError::unauthorized)? {
        Credential::Bearer(token) => jwt::authenticate(state, token).await?,
        Credential::AccessToken(token) => pat::authenticate(state, token).await?,
    };
    note_access(
        &parts.extensions,
        AccessNote {
            principal_kind: if principal.token_id.is_some() {
                "token"
            } else {
                "user"
            },
            principal_id: Some(
                principal
                    .token_id
                    .map_or_else(|| principal.user_id.to_string(), |t| t.to_string()),
            ),
            organization_id: Some(principal.organization_id.to_string()),
            target_id: None,
        },
    );
    state
        .rate_limits
        .check("user-api", &principal.rate_key(), USER_API_LIMIT)?;
    Ok(principal)
}

impl FromRequestParts<AppState> for UserPrincipal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state).await
    }
}
