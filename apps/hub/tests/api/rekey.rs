//! `secrets rekey` (HS §5.2) on a store: everything moves to the new key,
//! and afterwards the key check accepts the new key alone.

use axum::http::StatusCode;
use distr_crypto::Aes256GcmCipher;
use distr_domain::ids::SecretId;
use distr_hub::agent_api::last_good::payload_aad;
use distr_hub::agent_api::render::secret_aad;
use distr_hub::cli::{RekeyReport, rekey_store};
use distr_hub::config::SecretSettings;
use distr_hub::config::secrets::{SecretsError, resolve};
use distr_ports::SecretCipher;
use serde_json::json;

use super::deployments::{deploy_body, docker_fixture};
use super::support::TestApp;

/// The key `TestApp` encrypts with.
const OLD: [u8; 32] = [7; 32];
const NEW: [u8; 32] = [9; 32];

fn settings(key: [u8; 32]) -> SecretSettings {
    SecretSettings {
        jwt_secret: Some(vec![1; 32]),
        encryption_key: Some(key),
        previous_keys: Vec::new(),
    }
}

// HS §7 item 82: rekey with the old key listed re-encrypts everything; the
// Hub then starts with the new key alone.
async fn rekey_moves_secrets_and_payloads_to_the_new_key(app: TestApp) {
    let store = app.state.store.as_ref();
    let config = app.state.config.as_ref();
    resolve(&settings(OLD), config, store).await.unwrap();
    let f = docker_fixture(&app).await;
    let created = app
        .post(
            "/api/v1/secrets",
            &f.org.admin.token,
            json!({"key": "DB", "value": "rekey-me"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let secret: SecretId = created.body["id"].as_str().unwrap().parse().unwrap();
    let deployed = app
        .put(
            "/api/v1/deployments",
            &f.org.admin.token,
            deploy_body(&f, "A=1\n"),
        )
        .await;
    let deployment = deployed.body["id"].as_str().unwrap().parse().unwrap();
    let old = Aes256GcmCipher::new(OLD);
    let new = Aes256GcmCipher::new(NEW);
    let payload = distr_domain::secret::LastGoodPayload {
        deployment_id: deployment,
        revision_id: deployed.body["deploymentRevisionId"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
        payload_ciphertext: old.encrypt(b"payload", &payload_aad(deployment)),
        updated_at: app.state.clock.now(),
    };
    store.put_last_good_payload(&payload).await.unwrap();
    assert!(matches!(
        resolve(&settings(NEW), config, store).await,
        Err(SecretsError::KeyMismatch)
    ));

    // A key that opens nothing changes nothing.
    let stranger = Aes256GcmCipher::new([3; 32]);
    assert!(rekey_store(store, &stranger, &[]).await.is_err());
    assert!(resolve(&settings(OLD), config, store).await.is_ok());

    let report = rekey_store(store, &new, &[&old]).await.unwrap();
    assert_eq!(
        report,
        RekeyReport {
            secrets: 1,
            last_good_payloads: 1,
            already_current: 0
        }
    );
    let stored = store.get_secret(f.org.id, secret).await.unwrap();
    let aad = secret_aad(f.org.id, secret);
    assert_eq!(
        new.decrypt(&stored.value_ciphertext, &aad).unwrap(),
        b"rekey-me"
    );
    assert!(old.decrypt(&stored.value_ciphertext, &aad).is_err());
    let payloads = store.get_last_good_payloads(&[deployment]).await.unwrap();
    assert_eq!(
        new.decrypt(&payloads[0].payload_ciphertext, &payload_aad(deployment))
            .unwrap(),
        b"payload"
    );
    assert!(resolve(&settings(NEW), config, store).await.is_ok());
    assert!(matches!(
        resolve(&settings(OLD), config, store).await,
        Err(SecretsError::KeyMismatch)
    ));
    // Running it again finds everything current.
    let again = rekey_store(store, &new, &[]).await.unwrap();
    assert_eq!(again.already_current, 2);
    assert_eq!(again.secrets + again.last_good_payloads, 0);
}

on_both_stores!(rekey_moves_secrets_and_payloads_to_the_new_key);
