//! Target secrets (AP §2.2): generation, raw Argon2id hashing and
//! constant-time verification.

use async_trait::async_trait;
use distr_domain::target::TargetSecretHash;
use distr_ports::{HashError, TargetSecretVerifier};

use crate::argon::{HashingPool, OUTPUT_LEN, argon2id};
use crate::primitives::{constant_time_eq, random_bytes};

/// Salt length in bytes.
pub const SALT_LEN: usize = 16;

/// Raw Argon2id [`TargetSecretVerifier`] with the upstream parameters, so rows
/// migrated from upstream Distr still verify.
#[derive(Debug, Clone)]
pub struct Argon2TargetSecrets {
    pool: HashingPool,
}

impl Argon2TargetSecrets {
    /// A verifier on the process-wide [`HashingPool`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_pool(HashingPool::shared())
    }

    /// A verifier on a given pool.
    #[must_use]
    pub fn with_pool(pool: HashingPool) -> Self {
        Self { pool }
    }
}

impl Default for Argon2TargetSecrets {
    fn default() -> Self {
        Self::new()
    }
}

/// Raw Argon2id output of `secret` under `salt` (AP §2.2 parameters).
///
/// # Errors
/// `HashError` when the salt is shorter than Argon2's minimum (8 bytes).
pub fn raw_target_secret_hash(secret: &str, salt: &[u8]) -> Result<[u8; OUTPUT_LEN], HashError> {
    let mut out = [0_u8; OUTPUT_LEN];
    argon2id()?
        .hash_password_into(secret.as_bytes(), salt, &mut out)
        .map_err(|e| HashError(e.to_string()))?;
    Ok(out)
}

#[async_trait]
impl TargetSecretVerifier for Argon2TargetSecrets {
    fn generate_secret(&self) -> String {
        hex::encode(random_bytes::<16>())
    }

    async fn hash_target_secret(&self, secret: &str) -> Result<TargetSecretHash, HashError> {
        let secret = secret.to_owned();
        let salt = random_bytes::<SALT_LEN>();
        let hash = self
            .pool
            .run(move || raw_target_secret_hash(&secret, &salt))
            .await??;
        Ok(TargetSecretHash {
            salt: salt.to_vec(),
            hash: hash.to_vec(),
        })
    }

    async fn verify_target_secret(&self, secret: &str, stored: &TargetSecretHash) -> bool {
        if stored.salt.is_empty() || stored.hash.is_empty() {
            return false;
        }
        let secret = secret.to_owned();
        let salt = stored.salt.clone();
        let Ok(Ok(computed)) = self
            .pool
            .run(move || raw_target_secret_hash(&secret, &salt))
            .await
        else {
            return false;
        };
        constant_time_eq(&computed, &stored.hash)
    }
}

#[cfg(test)]
mod tests;
