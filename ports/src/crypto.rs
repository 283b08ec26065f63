//! Hashing and encryption ports.

use async_trait::async_trait;
use distr_domain::target::TargetSecretHash;

/// A failure of a symmetric cipher.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    /// The ciphertext was produced by another key (key id mismatch).
    #[error("ciphertext was encrypted with another key")]
    WrongKey,
    /// The ciphertext is malformed or fails authentication.
    #[error("ciphertext is corrupt or was tampered with")]
    Corrupt,
}

/// Authenticated encryption of values at rest (AES-256-GCM, HS §2.3).
pub trait SecretCipher: Send + Sync + std::fmt::Debug {
    /// Encrypts `plaintext` bound to `aad`.
    /// MUST use a fresh random nonce per call, so two encryptions of the same
    /// plaintext differ. MUST produce `0x01 ‖ key id (4) ‖ nonce (12) ‖ ct+tag`.
    fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8>;

    /// Decrypts what [`SecretCipher::encrypt`] produced.
    ///
    /// # Errors
    /// MUST return `WrongKey` when the key id differs from this key's, and
    /// `Corrupt` when the bytes are malformed, tampered with or bound to another `aad`.
    fn decrypt(&self, ciphertext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CipherError>;

    /// A value derived from the key that reveals nothing about it, stored once
    /// so a start with another key is detected. MUST be stable for one key and
    /// differ between keys.
    fn key_check_value(&self) -> Vec<u8>;
}

/// A failure of a hashing backend.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("hashing failed: {0}")]
pub struct HashError(pub String);

/// Password hashing (Argon2id PHC strings, HS §6.6).
#[async_trait]
pub trait PasswordHasher: Send + Sync + std::fmt::Debug {
    /// Hashes a password into a PHC string. MUST use a fresh salt per call.
    ///
    /// # Errors
    /// `HashError` only when the backend fails.
    async fn hash_password(&self, password: &str) -> Result<String, HashError>;

    /// Verifies a password against a PHC string. MUST return `false` (not an
    /// error) for a wrong password or an unparsable hash, comparing in constant time.
    async fn verify_password(&self, password: &str, phc: &str) -> bool;

    /// Spends the same time as a verification, for unknown users.
    async fn verify_dummy(&self, password: &str);
}

/// Target-secret hashing with the raw Argon2id parameters of AP §2.2.
#[async_trait]
pub trait TargetSecretVerifier: Send + Sync + std::fmt::Debug {
    /// Generates a fresh secret: 16 CSPRNG bytes as 32 lowercase hex characters.
    fn generate_secret(&self) -> String;

    /// Hashes `secret` with a fresh 16-byte salt. MUST use Argon2id v0x13,
    /// t=1, m=65536 KiB, p=4, 32-byte output.
    ///
    /// # Errors
    /// `HashError` only when the backend fails.
    async fn hash_target_secret(&self, secret: &str) -> Result<TargetSecretHash, HashError>;

    /// Recomputes the hash with the stored salt and MUST compare in constant time.
    /// MUST return `false` for empty salt or hash.
    async fn verify_target_secret(&self, secret: &str, stored: &TargetSecretHash) -> bool;
}
