//! AES-256-GCM encryption of values at rest (HS §2.3).
//!
//! Stored layout: `0x01 ‖ key id (4) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`,
//! where the key id is the first 4 bytes of SHA-256 of the key.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use distr_ports::{CipherError, SecretCipher};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::primitives::{random_bytes, sha256};

/// Format version byte that starts every ciphertext.
const FORMAT_VERSION: u8 = 0x01;
/// Length of the key id.
pub const KEY_ID_LEN: usize = 4;
/// Length of the AES-GCM nonce (96 bits).
const NONCE_LEN: usize = 12;
/// Length of the GCM authentication tag.
const TAG_LEN: usize = 16;
/// Bytes before the ciphertext proper.
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;
/// Domain separation for the key check value, so it can never equal any other
/// value derived from the key (such as the key id).
const CHECK_VALUE_LABEL: &[u8] = b"distr secrets key check v1";

/// A key that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFormatError {
    /// The text is not standard base64.
    #[error("key is not valid base64")]
    NotBase64,
    /// The decoded key does not have 32 bytes.
    #[error("key must decode to 32 bytes, got {0}")]
    WrongLength(usize),
}

/// AES-256-GCM [`SecretCipher`] for one key.
#[derive(Clone)]
pub struct Aes256GcmCipher {
    aead: Aes256Gcm,
    key_id: [u8; KEY_ID_LEN],
    check_value: [u8; 32],
}

impl Aes256GcmCipher {
    /// Builds the cipher for a 32-byte key.
    #[must_use]
    pub fn new(key: [u8; 32]) -> Self {
        let digest = sha256(&key);
        let mut key_id = [0_u8; KEY_ID_LEN];
        key_id.copy_from_slice(&digest[..KEY_ID_LEN]);
        Self {
            aead: Aes256Gcm::new(&key.into()),
            key_id,
            check_value: check_value(&key),
        }
    }

    /// Builds the cipher from base64 text of 32 bytes (`SECRETS_ENCRYPTION_KEY`).
    ///
    /// Surrounding whitespace is ignored, so a key file may end in a newline.
    ///
    /// # Errors
    /// `KeyFormatError` when the text is not base64 or not 32 bytes long.
    pub fn from_base64(text: &str) -> Result<Self, KeyFormatError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyFormatError::NotBase64)?;
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| KeyFormatError::WrongLength(bytes.len()))?;
        Ok(Self::new(key))
    }

    /// Generates a fresh random key, as base64 (what `gen-key` prints).
    #[must_use]
    pub fn generate_key_base64() -> String {
        STANDARD.encode(random_bytes::<32>())
    }

    /// The key id written into every ciphertext of this key.
    #[must_use]
    pub fn key_id(&self) -> [u8; KEY_ID_LEN] {
        self.key_id
    }
}

/// The key id a ciphertext claims, so a rekey can pick the matching old key.
/// `None` when the bytes are too short or not in the supported format.
#[must_use]
pub fn ciphertext_key_id(ciphertext: &[u8]) -> Option<[u8; KEY_ID_LEN]> {
    match ciphertext {
        [FORMAT_VERSION, a, b, c, d, ..] if ciphertext.len() >= HEADER_LEN + TAG_LEN => {
            Some([*a, *b, *c, *d])
        }
        _ => None,
    }
}

/// HMAC-SHA256 keyed by the encryption key over a fixed label: stable per
/// key, different between keys, and (HMAC being a PRF) reveals nothing about
/// the key or its key id.
fn check_value(key: &[u8; 32]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail for 32 bytes.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(CHECK_VALUE_LABEL);
    mac.finalize().into_bytes().into()
}

impl fmt::Debug for Aes256GcmCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Aes256GcmCipher")
            .field("key", &"***")
            .field("key_id", &hex::encode(self.key_id))
            .finish()
    }
}

impl SecretCipher for Aes256GcmCipher {
    /// # Panics
    /// Only for a plaintext above AES-GCM's limit of about 64 GiB, which no
    /// caller can reach (stored values are capped far below).
    fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        let nonce_bytes = random_bytes::<NONCE_LEN>();
        let sealed = self
            .aead
            .encrypt(
                &Nonce::from(nonce_bytes),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .unwrap_or_else(|_| panic!("plaintext exceeds the AES-GCM length limit"));
        let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&self.key_id);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        out
    }

    fn decrypt(&self, ciphertext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CipherError> {
        let key_id = ciphertext_key_id(ciphertext).ok_or(CipherError::Corrupt)?;
        if key_id != self.key_id {
            return Err(CipherError::WrongKey);
        }
        let (header, sealed) = ciphertext
            .split_at_checked(HEADER_LEN)
            .ok_or(CipherError::Corrupt)?;
        let nonce: [u8; NONCE_LEN] = header
            .get(1 + KEY_ID_LEN..)
            .and_then(|n| n.try_into().ok())
            .ok_or(CipherError::Corrupt)?;
        self.aead
            .decrypt(&Nonce::from(nonce), Payload { msg: sealed, aad })
            .map_err(|_| CipherError::Corrupt)
    }

    fn key_check_value(&self) -> Vec<u8> {
        self.check_value.to_vec()
    }
}

#[cfg(test)]
mod tests;
