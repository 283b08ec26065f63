//! Secrets (HS §2.3) and last-good payloads (AP §11e): stored encrypted.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    CustomerOrganizationId, DeploymentId, OrganizationId, RevisionId, SecretId, UserAccountId,
};
use crate::names::ValidationError;

/// A secret key: `^[A-Za-z][A-Za-z0-9_]*$`, at most 64 characters.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SecretKey(String);

impl SecretKey {
    /// Validates a key.
    ///
    /// # Errors
    /// When the key does not match the grammar or is too long.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let mut chars = raw.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if starts_with_letter && rest_ok && raw.len() <= 64 {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValidationError::new(
                "key",
                "must match ^[A-Za-z][A-Za-z0-9_]*$ and be at most 64 characters",
            ))
        }
    }

    /// The key text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SecretKey {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<SecretKey> for String {
    fn from(value: SecretKey) -> Self {
        value.0
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// A stored secret; the value is only ever held encrypted here.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    /// Identifier.
    pub id: SecretId,
    /// Vendor organization.
    pub organization_id: OrganizationId,
    /// `None` for vendor-level secrets.
    pub customer_organization_id: Option<CustomerOrganizationId>,
    /// Key, unique per (organization, customer).
    pub key: SecretKey,
    /// AES-256-GCM ciphertext (HS §2.3 layout), AAD = organization id ‖ row id.
    pub value_ciphertext: Vec<u8>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last value change.
    pub updated_at: DateTime<Utc>,
    /// Who changed it last.
    pub updated_by_user_account_id: Option<UserAccountId>,
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secret")
            .field("id", &self.id)
            .field("key", &self.key)
            .field("customer_organization_id", &self.customer_organization_id)
            .finish_non_exhaustive()
    }
}

/// The last `AgentDeployment` served for a deployment, encrypted (AP §11e).
#[derive(Clone, PartialEq, Eq)]
pub struct LastGoodPayload {
    /// The deployment (key).
    pub deployment_id: DeploymentId,
    /// The revision the payload was built from.
    pub revision_id: RevisionId,
    /// Encrypted JSON of the `AgentDeployment`.
    pub payload_ciphertext: Vec<u8>,
    /// When it was stored.
    pub updated_at: DateTime<Utc>,
}

impl fmt::Debug for LastGoodPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LastGoodPayload")
            .field("deployment_id", &self.deployment_id)
            .field("revision_id", &self.revision_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_follow_the_grammar() {
        assert!(SecretKey::parse("DB_PASSWORD").is_ok());
        assert!(SecretKey::parse("1ABC").is_err());
        assert!(SecretKey::parse("A-B").is_err());
        assert!(SecretKey::parse(&"A".repeat(65)).is_err());
    }

    proptest! {
        #[test]
        fn key_parse_accepts_exactly_the_grammar(raw in "[A-Za-z0-9_-]{0,70}") {
            let expected = raw.len() <= 64
                && raw.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            prop_assert_eq!(SecretKey::parse(&raw).is_ok(), expected);
        }
    }
}
