//! Secret resolution for rendering and redaction (AP §5.4, HS §2.3).

use std::collections::BTreeMap;

use distr_domain::ids::{OrganizationId, SecretId};
use distr_domain::secret::Secret;
use distr_domain::target::DeploymentTarget;
use distr_ports::StoreError;

use crate::problem::ApiError;
use crate::state::AppState;

/// Associated data of a secret value's ciphertext: organization id bytes ‖
/// secret row id bytes (HS §2.3). Writers of secrets MUST use the same.
#[must_use]
pub fn secret_aad(org: OrganizationId, id: SecretId) -> Vec<u8> {
    let mut aad = Vec::with_capacity(32);
    aad.extend_from_slice(org.as_uuid().as_bytes());
    aad.extend_from_slice(id.as_uuid().as_bytes());
    aad
}

/// Why the owner's secrets cannot be read. The text never holds a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretsError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A value does not decrypt with the current key.
    #[error("cannot decrypt secret {id}: {source}")]
    Decrypt {
        /// The secret row.
        id: SecretId,
        /// The cipher's reason.
        source: distr_ports::CipherError,
    },
    /// A decrypted value is not UTF-8.
    #[error("secret {0} is not UTF-8")]
    NotUtf8(SecretId),
}

impl From<SecretsError> for ApiError {
    fn from(err: SecretsError) -> Self {
        match err {
            SecretsError::Store(store) => Self::from(store),
            other => {
                tracing::error!(error = %other, "cannot read secrets");
                Self::internal()
            }
        }
    }
}

/// The decrypted secrets of the target owner's scope: the customer's for a
/// customer-owned target, vendor-level ones otherwise (no fallback, HS §2.3).
///
/// # Errors
/// 500 when the store fails or a value does not decrypt (logged, without the value).
pub async fn owner_secrets(
    state: &AppState,
    target: &DeploymentTarget,
) -> Result<BTreeMap<String, String>, ApiError> {
    Ok(read_owner_secrets(state, target).await?)
}

/// As [`owner_secrets`], with the precise reason of a failure.
///
/// # Errors
/// [`SecretsError`].
pub async fn read_owner_secrets(
    state: &AppState,
    target: &DeploymentTarget,
) -> Result<BTreeMap<String, String>, SecretsError> {
    let secrets = state
        .store
        .list_secrets(target.organization_id, target.customer_organization_id)
        .await?;
    let mut out = BTreeMap::new();
    for secret in secrets {
        let value = decrypt_secret(state, &secret)?;
        out.insert(secret.key.as_str().to_owned(), value);
    }
    Ok(out)
}

/// The plaintext value of one stored secret.
///
/// # Errors
/// [`SecretsError::Decrypt`] or [`SecretsError::NotUtf8`].
pub fn decrypt_secret(state: &AppState, secret: &Secret) -> Result<String, SecretsError> {
    let aad = secret_aad(secret.organization_id, secret.id);
    let plain = state
        .cipher
        .decrypt(&secret.value_ciphertext, &aad)
        .map_err(|source| SecretsError::Decrypt {
            id: secret.id,
            source,
        })?;
    String::from_utf8(plain).map_err(|_| SecretsError::NotUtf8(secret.id))
}

/// Redaction only replaces values of at least this many characters (HS §2.3).
pub const MIN_REDACTED_LEN: usize = 4;

/// The secret values to redact from what the target's agent sends (HS §2.3).
///
/// # Errors
/// As [`owner_secrets`].
pub async fn redaction_values(
    state: &AppState,
    target: &DeploymentTarget,
) -> Result<Vec<String>, ApiError> {
    let secrets = owner_secrets(state, target).await?;
    Ok(secrets
        .into_values()
        .filter(|v| v.chars().count() >= MIN_REDACTED_LEN)
        .collect())
}
