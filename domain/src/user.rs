//! User accounts, memberships, roles and personal access tokens.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AccessTokenId, CustomerOrganizationId, OrganizationId, UserAccountId};
use crate::names::{Email, Name, ValidationError};

/// A person who can log in (HS §2.2).
#[derive(Clone, PartialEq, Eq)]
pub struct UserAccount {
    /// Identifier.
    pub id: UserAccountId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Unique, lowercased e-mail.
    pub email: Email,
    /// Display name.
    pub name: Name,
    /// Argon2id PHC string; `None` until an invite is accepted.
    pub password_hash: Option<String>,
    /// When the password last changed; older tokens become invalid.
    pub password_changed_at: Option<DateTime<Utc>>,
    /// Last successful login.
    pub last_logged_in_at: Option<DateTime<Utc>>,
    /// Organization of the last login, chosen first at the next login.
    pub last_used_organization_id: Option<OrganizationId>,
}

impl fmt::Debug for UserAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserAccount")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("name", &self.name)
            .field("password_hash", &self.password_hash.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

/// A role inside one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Reads only.
    ReadOnly,
    /// Reads and writes.
    ReadWrite,
    /// Also manages users and settings.
    Admin,
}

impl UserRole {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ReadOnly => "read_only",
            Self::ReadWrite => "read_write",
            Self::Admin => "admin",
        }
    }

    /// Whether the role may change objects (`read_write` or `admin`).
    #[must_use]
    pub const fn can_write(self) -> bool {
        matches!(self, Self::ReadWrite | Self::Admin)
    }
}

impl FromStr for UserRole {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "read_only" => Ok(Self::ReadOnly),
            "read_write" => Ok(Self::ReadWrite),
            "admin" => Ok(Self::Admin),
            other => Err(ValidationError::new(
                "userRole",
                format!("unknown role {other:?}"),
            )),
        }
    }
}

/// A user's membership in an organization (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The organization.
    pub organization_id: OrganizationId,
    /// The user.
    pub user_account_id: UserAccountId,
    /// The role in that organization.
    pub user_role: UserRole,
    /// `None` for vendor members; the customer for customer members.
    pub customer_organization_id: Option<CustomerOrganizationId>,
    /// When the user joined.
    pub created_at: DateTime<Utc>,
}

/// A personal access token, stored hashed (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// Identifier.
    pub id: AccessTokenId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Owner.
    pub user_account_id: UserAccountId,
    /// Organization the token acts in.
    pub organization_id: OrganizationId,
    /// Free label.
    pub label: String,
    /// Optional expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Last use, written at most once a minute.
    pub last_used_at: Option<DateTime<Utc>>,
    /// SHA-256 of the whole token text.
    pub key_hash: [u8; 32],
    /// The last four hex characters of the token.
    pub key_hint: String,
}
