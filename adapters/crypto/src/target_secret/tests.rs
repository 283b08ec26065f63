use super::*;

/// Computed with the reference C implementation (Python `argon2-cffi`):
/// `hash_secret_raw(b"0123456789abcdef0123456789abcdef", bytes(range(16)),
/// time_cost=1, memory_cost=65536, parallelism=4, hash_len=32, type=Type.ID,
/// version=0x13)`.
const REFERENCE_HASH: &str = "aa5457bf74840627ee826251e1f2f16943106bc5402e79b4a47216fff20ae7fa";
const REFERENCE_SECRET: &str = "0123456789abcdef0123456789abcdef";

fn reference_salt() -> Vec<u8> {
    (0_u8..16).collect()
}

#[test]
fn the_raw_hash_matches_the_reference_implementation() {
    let hash = raw_target_secret_hash(REFERENCE_SECRET, &reference_salt()).unwrap();
    assert_eq!(hex::encode(hash), REFERENCE_HASH);
}

#[test]
fn the_raw_hash_matches_the_argon2_crate_low_level_api() {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(65_536, 1, 4, Some(32)).unwrap();
    let mut expected = [0_u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(b"some secret", b"0123456789abcdef", &mut expected)
        .unwrap();
    assert_eq!(
        raw_target_secret_hash("some secret", b"0123456789abcdef").unwrap(),
        expected
    );
}

#[test]
fn generated_secrets_are_32_lowercase_hex_characters_and_unique() {
    let secrets = Argon2TargetSecrets::new();
    let first = secrets.generate_secret();
    assert_eq!(first.len(), 32);
    assert!(
        first
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{first}"
    );
    assert_ne!(first, secrets.generate_secret());
}

#[tokio::test]
async fn a_stored_upstream_hash_verifies_only_for_its_secret() {
    let secrets = Argon2TargetSecrets::new();
    let stored = TargetSecretHash {
        salt: reference_salt(),
        hash: hex::decode(REFERENCE_HASH).unwrap(),
    };
    assert!(
        secrets
            .verify_target_secret(REFERENCE_SECRET, &stored)
            .await
    );
    assert!(
        !secrets
            .verify_target_secret("0123456789abcdef0123456789abcdee", &stored)
            .await
    );
}

#[tokio::test]
async fn a_fresh_hash_has_a_16_byte_salt_and_verifies() {
    let secrets = Argon2TargetSecrets::new();
    let secret = secrets.generate_secret();
    let first = secrets.hash_target_secret(&secret).await.unwrap();
    let second = secrets.hash_target_secret(&secret).await.unwrap();
    assert_eq!(first.salt.len(), 16);
    assert_eq!(first.hash.len(), 32);
    assert_ne!(first.salt, second.salt);
    assert_ne!(first.hash, second.hash);
    assert!(secrets.verify_target_secret(&secret, &first).await);
    assert!(
        !secrets
            .verify_target_secret(&secrets.generate_secret(), &first)
            .await
    );
}

#[tokio::test]
async fn an_empty_salt_or_hash_never_verifies() {
    let secrets = Argon2TargetSecrets::new();
    let empty_salt = TargetSecretHash {
        salt: Vec::new(),
        hash: hex::decode(REFERENCE_HASH).unwrap(),
    };
    let empty_hash = TargetSecretHash {
        salt: reference_salt(),
        hash: Vec::new(),
    };
    assert!(
        !secrets
            .verify_target_secret(REFERENCE_SECRET, &empty_salt)
            .await
    );
    assert!(
        !secrets
            .verify_target_secret(REFERENCE_SECRET, &empty_hash)
            .await
    );
}

#[tokio::test]
async fn a_salt_too_short_for_argon2_is_false_not_a_panic() {
    let secrets = Argon2TargetSecrets::new();
    let stored = TargetSecretHash {
        salt: vec![1, 2, 3],
        hash: vec![0; 32],
    };
    assert!(
        !secrets
            .verify_target_secret(REFERENCE_SECRET, &stored)
            .await
    );
}

#[tokio::test]
async fn a_truncated_stored_hash_never_verifies() {
    let secrets = Argon2TargetSecrets::new();
    let mut hash = hex::decode(REFERENCE_HASH).unwrap();
    hash.truncate(16);
    let stored = TargetSecretHash {
        salt: reference_salt(),
        hash,
    };
    assert!(
        !secrets
            .verify_target_secret(REFERENCE_SECRET, &stored)
            .await
    );
}
