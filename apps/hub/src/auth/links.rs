//! Invite and password-reset links (HS §3.2): HS256 JWTs with `aud`
//! `invite` or `reset`, accepted only by `/auth/accept-invite` and
//! `/auth/reset-password`. The links are credentials: never log them.

use chrono::{DateTime, Utc};
use distr_domain::ids::{OrganizationId, UserAccountId};
use distr_domain::user::UserAccount;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::HubConfig;
use crate::problem::ApiError;

/// What a link token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Sets the first password of an invited account (`/join`).
    Invite,
    /// Replaces the password of an account (`/reset`).
    Reset,
}

impl LinkPurpose {
    /// The JWT audience.
    #[must_use]
    pub const fn audience(self) -> &'static str {
        match self {
            Self::Invite => "invite",
            Self::Reset => "reset",
        }
    }

    /// The portal page the link opens.
    const fn page(self) -> &'static str {
        match self {
            Self::Invite => "join",
            Self::Reset => "reset",
        }
    }

    fn lifetime(self, config: &HubConfig) -> std::time::Duration {
        match self {
            Self::Invite => config.invite_token_valid,
            Self::Reset => config.reset_token_valid,
        }
    }
}

/// Claims of a link token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkClaims {
    /// `invite` or `reset`.
    pub aud: String,
    /// The user id.
    pub sub: String,
    /// The organization the user is logged into after using the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// The account's `passwordChangedAt` (unix microseconds) when issued:
    /// any password change afterwards voids the link, at full precision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pwc: Option<i64>,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Not before (unix seconds).
    pub nbf: i64,
    /// Expiry (unix seconds).
    pub exp: i64,
}

/// A verified link: whose it is and where it logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The account.
    pub user_id: UserAccountId,
    /// The organization named in the link, if any.
    pub organization_id: Option<OrganizationId>,
    /// `passwordChangedAt` when issued (unix microseconds).
    pub password_changed_at: Option<i64>,
    /// Issued at (unix seconds).
    pub issued_at: i64,
}

impl Link {
    /// Whether the account's password changed after the link was issued
    /// (HS §3.2: a reset link is void once `iat` < `passwordChangedAt`).
    #[must_use]
    pub fn is_stale_for(&self, user: &UserAccount) -> bool {
        user.password_changed_at.map(|t| t.timestamp_micros()) != self.password_changed_at
    }
}

/// Issues a link token for `user`, valid for the purpose's configured lifetime.
///
/// # Errors
/// 500 when signing fails.
pub fn issue_link_token(
    config: &HubConfig,
    now: DateTime<Utc>,
    purpose: LinkPurpose,
    user: &UserAccount,
    org: Option<OrganizationId>,
) -> Result<String, ApiError> {
    let valid = i64::try_from(purpose.lifetime(config).as_secs()).unwrap_or(i64::MAX / 2);
    let iat = now.timestamp();
    let claims = LinkClaims {
        aud: purpose.audience().to_owned(),
        sub: user.id.to_string(),
        org: org.map(|o| o.to_string()),
        pwc: user.password_changed_at.map(|t| t.timestamp_micros()),
        iat,
        nbf: iat,
        exp: iat.saturating_add(valid),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&config.jwt_secret),
    )
    .map_err(|err| {
        tracing::error!(error = %err, "cannot sign link token");
        ApiError::internal()
    })
}

/// The portal URL carrying a link token: `<DISTR_HOST>/join?token=…` or
/// `<DISTR_HOST>/reset?token=…`.
#[must_use]
pub fn link_url(config: &HubConfig, purpose: LinkPurpose, token: &str) -> String {
    format!(
        "{}/{}?token={token}",
        config.distr_host.trim_end_matches('/'),
        purpose.page()
    )
}

/// Verifies a link token for `purpose` (signature, audience, expiry).
/// Whether it is still unused is the caller's check against the account.
///
/// # Errors
/// 401 `unauthorized` for anything but a valid, unexpired token of `purpose`.
pub fn verify_link_token(
    config: &HubConfig,
    purpose: LinkPurpose,
    token: &str,
) -> Result<Link, ApiError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[purpose.audience()]);
    validation.validate_nbf = true;
    validation.leeway = 5;
    validation.set_required_spec_claims(&["exp", "aud", "sub"]);
    let claims = jsonwebtoken::decode::<LinkClaims>(
        token,
        &DecodingKey::from_secret(&config.jwt_secret),
        &validation,
    )
    .map_err(|_| invalid_link())?
    .claims;
    Ok(Link {
        user_id: claims.sub.parse().map_err(|_| invalid_link())?,
        organization_id: match claims.org {
            Some(org) => Some(org.parse().map_err(|_| invalid_link())?),
            None => None,
        },
        password_changed_at: claims.pwc,
        issued_at: claims.iat,
    })
}

/// 401 for an invalid, expired or used link.
#[must_use]
pub fn invalid_link() -> ApiError {
    let mut err = ApiError::unauthorized();
    "the link is invalid, expired or already used".clone_into(&mut err.detail);
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use distr_domain::names::{Email, Name};

    fn user(changed: Option<DateTime<Utc>>) -> UserAccount {
        UserAccount {
            id: UserAccountId::from_uuid(uuid::Uuid::now_v7()),
            created_at: Utc::now(),
            email: Email::parse("a@example.com").unwrap(),
            name: Name::parse("name", "A").unwrap(),
            password_hash: changed.map(|_| "phc".to_owned()),
            password_changed_at: changed,
            last_logged_in_at: None,
            last_used_organization_id: None,
        }
    }

    fn config() -> HubConfig {
        HubConfig::with_defaults(b"0123456789abcdef0123456789abcdef".to_vec())
    }

    #[test]
    fn audiences_are_not_interchangeable() {
        let config = config();
        let u = user(None);
        let token = issue_link_token(&config, Utc::now(), LinkPurpose::Invite, &u, None).unwrap();
        let link = verify_link_token(&config, LinkPurpose::Invite, &token).unwrap();
        assert_eq!(link.user_id, u.id);
        assert!(verify_link_token(&config, LinkPurpose::Reset, &token).is_err());
    }

    #[test]
    fn expired_links_are_refused() {
        let config = config();
        let issued = Utc::now() - chrono::TimeDelta::hours(2);
        let token =
            issue_link_token(&config, issued, LinkPurpose::Reset, &user(None), None).unwrap();
        assert!(verify_link_token(&config, LinkPurpose::Reset, &token).is_err());
    }

    #[test]
    fn a_password_change_after_issue_voids_the_link_at_microsecond_precision() {
        let config = config();
        let changed = Utc::now();
        let mut u = user(Some(changed));
        let token = issue_link_token(&config, changed, LinkPurpose::Reset, &u, None).unwrap();
        let link = verify_link_token(&config, LinkPurpose::Reset, &token).unwrap();
        assert!(!link.is_stale_for(&u));
        u.password_changed_at = Some(changed + chrono::TimeDelta::microseconds(1));
        assert!(link.is_stale_for(&u));
    }

    #[test]
    fn urls_point_at_the_portal_pages() {
        let mut config = config();
        config.distr_host = "https://hub.example.com/".to_owned();
        assert_eq!(
            link_url(&config, LinkPurpose::Invite, "t"),
            "https://hub.example.com/join?token=t"
        );
        assert_eq!(
            link_url(&config, LinkPurpose::Reset, "t"),
            "https://hub.example.com/reset?token=t"
        );
    }
}
