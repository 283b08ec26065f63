//! Password hashing as Argon2id PHC strings (HS §6.6).

use std::sync::{Arc, OnceLock};

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use async_trait::async_trait;
use distr_ports::{HashError, PasswordHasher};

use crate::argon::{HashingPool, argon2id};
use crate::primitives::random_bytes;

/// Argon2id [`PasswordHasher`] at the cost of AP §2.2, on a bounded blocking pool.
#[derive(Debug, Clone)]
pub struct Argon2PasswordHasher {
    pool: HashingPool,
}

impl Argon2PasswordHasher {
    /// A hasher on the process-wide [`HashingPool`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_pool(HashingPool::shared())
    }

    /// A hasher on a given pool.
    #[must_use]
    pub fn with_pool(pool: HashingPool) -> Self {
        Self { pool }
    }
}

impl Default for Argon2PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt =
        SaltString::encode_b64(&random_bytes::<16>()).map_err(|e| HashError(e.to_string()))?;
    argon2id()?
        .hash_password(password.as_bytes(), &salt)
        .map(|phc| phc.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Verifies with the parameters the PHC string names, so hashes made at
/// another cost still verify. The output comparison inside `password-hash`
/// is constant-time.
fn verify_blocking(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let Ok(argon) = argon2id() else {
        return false;
    };
    argon.verify_password(password.as_bytes(), &parsed).is_ok()
}

/// A PHC string at the current cost whose password nobody knows, so an
/// unknown user's login costs exactly one real verification.
fn dummy_phc() -> Arc<str> {
    static DUMMY: OnceLock<Arc<str>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let unknown = hex::encode(random_bytes::<16>());
            // A failure here only makes the dummy unparsable, which still
            // answers false; timing then differs but nothing leaks or panics.
            Arc::from(hash_blocking(&unknown).unwrap_or_default())
        })
        .clone()
}

#[async_trait]
impl PasswordHasher for Argon2PasswordHasher {
    async fn hash_password(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_owned();
        self.pool.run(move || hash_blocking(&password)).await?
    }

    async fn verify_password(&self, password: &str, phc: &str) -> bool {
        let (password, phc) = (password.to_owned(), phc.to_owned());
        self.pool
            .run(move || verify_blocking(&password, &phc))
            .await
            .unwrap_or(false)
    }

    async fn verify_dummy(&self, password: &str) {
        let password = password.to_owned();
        // The dummy is built inside the pool too: its first computation is
        // a full hash and must not block the async runtime.
        let _ = self
            .pool
            .run(move || verify_blocking(&password, &dummy_phc()))
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hasher = Argon2PasswordHasher::new();
        let phc = hasher.hash_password("correct horse").await.unwrap();
        assert!(hasher.verify_password("correct horse", &phc).await);
        assert!(!hasher.verify_password("correct horsE", &phc).await);
        assert!(!hasher.verify_password("", &phc).await);
    }

    #[tokio::test]
    async fn hashes_are_argon2id_phc_strings_at_the_upstream_cost_with_fresh_salts() {
        let hasher = Argon2PasswordHasher::new();
        let first = hasher.hash_password("pw").await.unwrap();
        let second = hasher.hash_password("pw").await.unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=65536,t=1,p=4$"),
            "{first}"
        );
        assert_ne!(first, second);
    }

    #[tokio::test]
    async fn an_unparsable_hash_is_false_not_an_error() {
        let hasher = Argon2PasswordHasher::new();
        assert!(!hasher.verify_password("pw", "").await);
        assert!(!hasher.verify_password("pw", "not a phc string").await);
        assert!(
            !hasher
                .verify_password("pw", "$argon2id$v=19$m=65536,t=1,p=4$$")
                .await
        );
    }

    #[tokio::test]
    async fn a_phc_string_from_another_implementation_verifies() {
        // Produced by the reference C implementation (argon2-cffi) for
        // password "password" and salt "somesalt" at a small cost; proves
        // the cost is read from the string rather than assumed.
        let phc =
            "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$cpx6VEQbwTVZvcpxNIxOVUWZ5xnAipUmAe1cg2GMG70";
        let hasher = Argon2PasswordHasher::new();
        assert!(hasher.verify_password("password", phc).await);
        assert!(!hasher.verify_password("passwore", phc).await);
    }

    #[tokio::test]
    async fn verify_dummy_takes_about_as_long_as_a_real_verification() {
        let hasher = Argon2PasswordHasher::new();
        let phc = hasher.hash_password("pw").await.unwrap();
        hasher.verify_dummy("warm up").await;
        // Minimum of a few runs, so load from other processes on a shared
        // machine does not decide the comparison.
        let (mut real, mut dummy) = (std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..3 {
            let start = std::time::Instant::now();
            assert!(!hasher.verify_password("other", &phc).await);
            real = real.min(start.elapsed());
            let start = std::time::Instant::now();
            hasher.verify_dummy("other").await;
            dummy = dummy.min(start.elapsed());
        }
        assert!(
            dummy * 3 > real && real * 3 > dummy,
            "real {real:?}, dummy {dummy:?}"
        );
    }
}
