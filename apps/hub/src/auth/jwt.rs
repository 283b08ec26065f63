//! User JWTs: HS256 over `JWT_SECRET`, `aud` = `user` (HS §3.2, AP §11b).

use chrono::{DateTime, Utc};
use distr_domain::ids::{CustomerOrganizationId, OrganizationId, UserAccountId};
use distr_domain::user::{Membership, UserAccount, UserRole};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::UserPrincipal;
use crate::config::HubConfig;
use crate::problem::ApiError;
use crate::state::AppState;

/// The audience of user tokens.
pub const USER_AUDIENCE: &str = "user";

/// Claims of a user JWT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserClaims {
    /// Always `user` when issued here; a list is accepted on input.
    pub aud: serde_json::Value,
    /// The user id.
    pub sub: String,
    /// The organization id.
    pub org: String,
    /// The customer organization id, for customer members only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c_org: Option<String>,
    /// The role when issued.
    pub role: String,
    /// Display name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Issued at (unix microseconds). `iat` alone cannot tell a token issued
    /// just before a password change from one issued just after it in the
    /// same second; this claim can (HS §3.2, decision 0010).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat_us: Option<i64>,
    /// Not before (unix seconds).
    pub nbf: i64,
    /// Expiry (unix seconds).
    pub exp: i64,
}

/// Issues a user JWT for `membership`, valid for `USER_TOKEN_VALID_DURATION`.
///
/// # Errors
/// 500 when signing fails.
pub fn issue_user_token(
    config: &HubConfig,
    now: DateTime<Utc>,
    user: &UserAccount,
    membership: &Membership,
) -> Result<String, ApiError> {
    let valid = i64::try_from(config.user_token_valid.as_secs()).unwrap_or(i64::MAX / 2);
    let iat = now.timestamp();
    let claims = UserClaims {
        aud: USER_AUDIENCE.into(),
        sub: user.id.to_string(),
        org: membership.organization_id.to_string(),
        c_org: membership.customer_organization_id.map(|c| c.to_string()),
        role: membership.user_role.as_str().to_owned(),
        name: user.name.as_str().to_owned(),
        email: user.email.as_str().to_owned(),
        iat,
        iat_us: Some(now.timestamp_micros()),
        nbf: iat,
        exp: iat.saturating_add(valid),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&config.jwt_secret),
    )
    .map_err(|err| {
        tracing::error!(error = %err, "cannot sign user token");
        ApiError::internal()
    })
}

fn decode(config: &HubConfig, token: &str) -> Option<UserClaims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[USER_AUDIENCE]);
    validation.validate_nbf = true;
    validation.leeway = 5;
    validation.set_required_spec_claims(&["exp", "aud", "sub"]);
    jsonwebtoken::decode::<UserClaims>(
        token,
        &DecodingKey::from_secret(&config.jwt_secret),
        &validation,
    )
    .ok()
    .map(|data| data.claims)
}

/// Whether the token was issued before `changed` (HS §3.2: `iat` <
/// `passwordChangedAt`), at microsecond precision when the token says.
fn issued_before(claims: &UserClaims, changed: DateTime<Utc>) -> bool {
    let issued = claims
        .iat_us
        .unwrap_or_else(|| claims.iat.saturating_mul(1_000_000));
    issued < changed.timestamp_micros()
}

/// Verifies a bearer token and re-reads the membership.
pub(super) async fn authenticate(state: &AppState, token: &str) -> Result<UserPrincipal, ApiError> {
    authenticate_with_claims(state, token)
        .await
        .map(|(principal, _)| principal)
}

/// Verifies a user JWT (from a bearer header or the portal's session cookie)
/// and re-reads the membership, returning the claims too.
///
/// # Errors
/// 401 `unauthorized` for an invalid or expired token, a changed membership
/// or a password changed after the token was issued.
pub async fn authenticate_with_claims(
    state: &AppState,
    token: &str,
) -> Result<(UserPrincipal, UserClaims), ApiError> {
    let claims = decode(&state.config, token).ok_or_else(ApiError::unauthorized)?;
    let user_id: UserAccountId = claims.sub.parse().map_err(|_| ApiError::unauthorized())?;
    let org: OrganizationId = claims.org.parse().map_err(|_| ApiError::unauthorized())?;
    let customer: Option<CustomerOrganizationId> = match &claims.c_org {
        Some(c) => Some(c.parse().map_err(|_| ApiError::unauthorized())?),
        None => None,
    };
    let role: UserRole = claims.role.parse().map_err(|_| ApiError::unauthorized())?;
    let membership = state
        .store
        .get_membership(org, user_id)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    if membership.user_role != role || membership.customer_organization_id != customer {
        return Err(ApiError::unauthorized());
    }
    let user = match state.store.get_user(user_id).await {
        Ok(user) => user,
        Err(distr_ports::StoreError::NotFound) => return Err(ApiError::unauthorized()),
        Err(err) => return Err(err.into()),
    };
    if user
        .password_changed_at
        .is_some_and(|changed| issued_before(&claims, changed))
    {
        return Err(ApiError::unauthorized());
    }
    let principal = UserPrincipal {
        user_id,
        organization_id: org,
        role,
        customer_organization_id: customer,
        token_id: None,
    };
    Ok((principal, claims))
}
