use super::*;
use proptest::prelude::*;

fn cipher(seed: u8) -> Aes256GcmCipher {
    Aes256GcmCipher::new([seed; 32])
}

#[test]
fn a_value_round_trips_under_the_same_aad() {
    let c = cipher(1);
    let sealed = c.encrypt(b"s3cr3t value", b"org|row");
    assert_eq!(c.decrypt(&sealed, b"org|row").unwrap(), b"s3cr3t value");
}

#[test]
fn an_empty_value_round_trips() {
    let c = cipher(1);
    let sealed = c.encrypt(b"", b"");
    assert_eq!(sealed.len(), HEADER_LEN + TAG_LEN);
    assert_eq!(c.decrypt(&sealed, b"").unwrap(), b"");
}

#[test]
fn the_layout_is_version_key_id_nonce_then_ciphertext_and_tag() {
    let key = [7_u8; 32];
    let sealed = Aes256GcmCipher::new(key).encrypt(b"abc", b"aad");
    assert_eq!(sealed.len(), 1 + 4 + 12 + 3 + 16);
    assert_eq!(sealed.first(), Some(&0x01));
    assert_eq!(sealed.get(1..5), sha256(&key).get(..4));
}

#[test]
fn ciphertext_from_an_independent_aes_gcm_decrypts() {
    // Sealed with the plain `aes-gcm` API under a fixed nonce, then framed by
    // hand: proves the frame and the AAD binding, not just self-consistency.
    let key = [3_u8; 32];
    let nonce = [9_u8; 12];
    let body = Aes256Gcm::new(&key.into())
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: b"hello",
                aad: b"a",
            },
        )
        .unwrap();
    let mut framed = vec![0x01];
    framed.extend_from_slice(&sha256(&key)[..4]);
    framed.extend_from_slice(&nonce);
    framed.extend_from_slice(&body);
    assert_eq!(
        Aes256GcmCipher::new(key).decrypt(&framed, b"a").unwrap(),
        b"hello"
    );
}

#[test]
fn every_encryption_uses_a_fresh_nonce() {
    let c = cipher(1);
    let first = c.encrypt(b"same", b"aad");
    let second = c.encrypt(b"same", b"aad");
    assert_ne!(first, second);
    assert_ne!(first.get(5..17), second.get(5..17));
}

#[test]
fn another_key_is_reported_as_wrong_key() {
    let sealed = cipher(1).encrypt(b"value", b"aad");
    assert_eq!(
        cipher(2).decrypt(&sealed, b"aad"),
        Err(CipherError::WrongKey)
    );
}

#[test]
fn another_aad_is_reported_as_corrupt() {
    let c = cipher(1);
    let sealed = c.encrypt(b"value", b"org-a|row-1");
    assert_eq!(
        c.decrypt(&sealed, b"org-b|row-1"),
        Err(CipherError::Corrupt)
    );
}

#[test]
fn a_flipped_byte_after_the_key_id_is_reported_as_corrupt() {
    let c = cipher(1);
    let sealed = c.encrypt(b"value", b"aad");
    for index in 5..sealed.len() {
        let mut tampered = sealed.clone();
        tampered[index] ^= 0x01;
        assert_eq!(
            c.decrypt(&tampered, b"aad"),
            Err(CipherError::Corrupt),
            "byte {index}"
        );
    }
}

#[test]
fn an_unknown_format_version_is_reported_as_corrupt() {
    let c = cipher(1);
    let mut sealed = c.encrypt(b"value", b"aad");
    sealed[0] = 0x02;
    assert_eq!(c.decrypt(&sealed, b"aad"), Err(CipherError::Corrupt));
}

#[test]
fn truncated_ciphertexts_are_reported_as_corrupt() {
    let c = cipher(1);
    let sealed = c.encrypt(b"value", b"aad");
    for len in 0..sealed.len() {
        let result = c.decrypt(&sealed[..len], b"aad");
        assert_eq!(result, Err(CipherError::Corrupt), "length {len}");
    }
}

#[test]
fn the_key_check_value_is_stable_per_key_and_differs_between_keys() {
    assert_eq!(cipher(1).key_check_value(), cipher(1).key_check_value());
    assert_ne!(cipher(1).key_check_value(), cipher(2).key_check_value());
    assert_eq!(cipher(1).key_check_value().len(), 32);
}

#[test]
fn the_key_check_value_reveals_neither_the_key_nor_its_hash() {
    let key = [5_u8; 32];
    let check = Aes256GcmCipher::new(key).key_check_value();
    assert_ne!(check, key.to_vec());
    assert_ne!(check, sha256(&key).to_vec());
}

#[test]
fn debug_output_redacts_the_key() {
    let text = format!("{:?}", Aes256GcmCipher::new([0xAB; 32]));
    assert!(text.contains("***"), "{text}");
    assert!(!text.to_lowercase().contains("abab"), "{text}");
}

#[test]
fn a_base64_key_is_decoded_and_bad_ones_are_rejected() {
    let key = [4_u8; 32];
    let text = format!("{}\n", STANDARD.encode(key));
    let c = Aes256GcmCipher::from_base64(&text).unwrap();
    assert_eq!(c.key_id(), Aes256GcmCipher::new(key).key_id());
    assert_eq!(
        Aes256GcmCipher::from_base64("not base64!").unwrap_err(),
        KeyFormatError::NotBase64
    );
    assert_eq!(
        Aes256GcmCipher::from_base64(&STANDARD.encode([1_u8; 16])).unwrap_err(),
        KeyFormatError::WrongLength(16)
    );
}

#[test]
fn generated_keys_are_32_random_bytes() {
    let first = Aes256GcmCipher::generate_key_base64();
    assert_eq!(STANDARD.decode(&first).unwrap().len(), 32);
    assert_ne!(first, Aes256GcmCipher::generate_key_base64());
}

#[test]
fn the_key_id_of_a_ciphertext_is_readable_for_rekeying() {
    let c = cipher(1);
    let sealed = c.encrypt(b"v", b"");
    assert_eq!(ciphertext_key_id(&sealed), Some(c.key_id()));
    assert_eq!(ciphertext_key_id(&sealed[..10]), None);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_never_decrypt(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
        let c = cipher(1);
        prop_assert!(c.decrypt(&bytes, b"aad").is_err());
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_header_are_corrupt(tail in proptest::collection::vec(any::<u8>(), 0..128)) {
        let c = cipher(1);
        let mut bytes = vec![0x01];
        bytes.extend_from_slice(&c.key_id());
        bytes.extend_from_slice(&tail);
        prop_assert_eq!(c.decrypt(&bytes, b"aad"), Err(CipherError::Corrupt));
    }

    #[test]
    fn any_value_round_trips(value in proptest::collection::vec(any::<u8>(), 0..512), aad in proptest::collection::vec(any::<u8>(), 0..64)) {
        let c = cipher(9);
        prop_assert_eq!(c.decrypt(&c.encrypt(&value, &aad), &aad).unwrap(), value);
    }
}
