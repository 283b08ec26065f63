//! Random bytes for tokens.

use sha2::{Digest, Sha256};

/// 16 bytes from the OS CSPRNG.
///
/// Drawn through `uuid` (whose v4 ids come from the OS generator) until
/// `distr_crypto::random_bytes` is available: two v4 ids carry 244 random
/// bits, hashed and truncated to 128.
#[must_use]
pub fn random_16() -> [u8; 16] {
    let mut hasher = Sha256::new();
    hasher.update(uuid::Uuid::new_v4().as_bytes());
    hasher.update(uuid::Uuid::new_v4().as_bytes());
    let digest = hasher.finalize();
    let mut out = [0_u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}
