//! The adapters used the way the Hub uses them: as `Arc<dyn Port>`.

use std::sync::Arc;

use distr_crypto::{Aes256GcmCipher, Argon2PasswordHasher, Argon2TargetSecrets, HashingPool};
use distr_ports::{CipherError, PasswordHasher, SecretCipher, TargetSecretVerifier};

#[test]
fn a_cipher_behind_the_port_round_trips_and_rejects_other_keys() {
    let key = Aes256GcmCipher::generate_key_base64();
    let cipher: Arc<dyn SecretCipher> = Arc::new(Aes256GcmCipher::from_base64(&key).unwrap());
    let other: Arc<dyn SecretCipher> = Arc::new(Aes256GcmCipher::new([0; 32]));
    let sealed = cipher.encrypt(b"value", b"org|row");
    assert_eq!(cipher.decrypt(&sealed, b"org|row").unwrap(), b"value");
    assert_eq!(
        other.decrypt(&sealed, b"org|row"),
        Err(CipherError::WrongKey)
    );
    assert_ne!(cipher.key_check_value(), other.key_check_value());
}

#[tokio::test]
async fn hashers_behind_the_ports_share_one_pool_and_verify() {
    let pool = HashingPool::with_permits(1);
    let passwords: Arc<dyn PasswordHasher> =
        Arc::new(Argon2PasswordHasher::with_pool(pool.clone()));
    let secrets: Arc<dyn TargetSecretVerifier> =
        Arc::new(Argon2TargetSecrets::with_pool(pool.clone()));

    let phc = passwords.hash_password("hunter2").await.unwrap();
    assert!(passwords.verify_password("hunter2", &phc).await);

    let secret = secrets.generate_secret();
    let stored = secrets.hash_target_secret(&secret).await.unwrap();
    assert!(secrets.verify_target_secret(&secret, &stored).await);
    assert!(!secrets.verify_target_secret("hunter2", &stored).await);
    assert_eq!(pool.available_permits(), 1);
}
