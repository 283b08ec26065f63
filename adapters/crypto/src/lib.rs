#![doc = include_str!("../README.md")]

mod argon;
mod cipher;
mod password;
mod primitives;
mod target_secret;

pub use argon::{HashingPool, MEMORY_KIB, OUTPUT_LEN, PARALLELISM, TIME_COST};
pub use cipher::{Aes256GcmCipher, KEY_ID_LEN, KeyFormatError, ciphertext_key_id};
pub use password::Argon2PasswordHasher;
pub use primitives::{constant_time_eq, random_bytes, sha256};
pub use target_secret::{Argon2TargetSecrets, SALT_LEN, raw_target_secret_hash};
