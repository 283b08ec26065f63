//! `secrets rekey` (HS §5.1, §5.2): re-encrypts every secret value and
//! last-good payload with the current `SECRETS_ENCRYPTION_KEY`, decrypting
//! with the keys of `SECRETS_ENCRYPTION_KEYS_PREVIOUS`, and then stores the
//! current key's check value, so the Hub starts with the new key alone.
//!
//! Values the current key already decrypts are left alone, so an interrupted
//! run can simply be repeated. No revision is created: the plaintext is the
//! same.

use distr_crypto::Aes256GcmCipher;
use distr_ports::{SecretCipher, Store};
use serde::Serialize;

use super::{CliError, open_migrated};
use crate::agent_api::last_good::payload_aad;
use crate::agent_api::render::secret_aad;
use crate::config::LoadedConfig;
use crate::config::secrets::{KEY_CHECK_SETTING, encryption_key};

/// What a rekey changed (printed as JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RekeyReport {
    /// Secret values re-encrypted.
    pub secrets: u64,
    /// Last-good payloads re-encrypted.
    pub last_good_payloads: u64,
    /// Values the current key already decrypted.
    pub already_current: u64,
}

/// The value under `current`, or `None` when it already is; `what` names the
/// row in the error (never the value).
fn reencrypt(
    current: &dyn SecretCipher,
    previous: &[&dyn SecretCipher],
    ciphertext: &[u8],
    aad: &[u8],
    what: &str,
) -> Result<Option<Vec<u8>>, CliError> {
    if current.decrypt(ciphertext, aad).is_ok() {
        return Ok(None);
    }
    previous
        .iter()
        .find_map(|old| old.decrypt(ciphertext, aad).ok())
        .map(|plain| Some(current.encrypt(&plain, aad)))
        .ok_or_else(|| {
            CliError::Runtime(format!(
                "{what} decrypts with neither SECRETS_ENCRYPTION_KEY nor \
                 SECRETS_ENCRYPTION_KEYS_PREVIOUS"
            ))
        })
}

/// Re-encrypts everything in `store` under `current`, then records its check value.
///
/// # Errors
/// `Runtime` when a value decrypts with none of the keys (nothing after it is
/// changed, and the check value stays), or when the store fails.
pub async fn rekey_store(
    store: &dyn Store,
    current: &Aes256GcmCipher,
    previous: &[&dyn SecretCipher],
) -> Result<RekeyReport, CliError> {
    let mut report = RekeyReport::default();
    for mut secret in store.list_all_secrets().await.map_err(CliError::runtime)? {
        let aad = secret_aad(secret.organization_id, secret.id);
        let what = format!("secret {}", secret.id);
        match reencrypt(current, previous, &secret.value_ciphertext, &aad, &what)? {
            None => report.already_current += 1,
            Some(bytes) => {
                secret.value_ciphertext = bytes;
                store
                    .update_secret(&secret)
                    .await
                    .map_err(CliError::runtime)?;
                report.secrets += 1;
            }
        }
    }
    for mut payload in store
        .list_all_last_good_payloads()
        .await
        .map_err(CliError::runtime)?
    {
        let aad = payload_aad(payload.deployment_id);
        let what = format!("last-good payload of deployment {}", payload.deployment_id);
        match reencrypt(current, previous, &payload.payload_ciphertext, &aad, &what)? {
            None => report.already_current += 1,
            Some(bytes) => {
                payload.payload_ciphertext = bytes;
                store
                    .put_last_good_payload(&payload)
                    .await
                    .map_err(CliError::runtime)?;
                report.last_good_payloads += 1;
            }
        }
    }
    store
        .replace_setting(KEY_CHECK_SETTING, &current.key_check_value())
        .await
        .map_err(CliError::runtime)?;
    Ok(report)
}

pub(super) async fn run(loaded: &LoadedConfig) -> Result<(), CliError> {
    let store = open_migrated(&loaded.hub).await?;
    let key = encryption_key(&loaded.secrets, &loaded.hub).map_err(CliError::runtime)?;
    let current = Aes256GcmCipher::new(key);
    let previous: Vec<Aes256GcmCipher> = loaded
        .secrets
        .previous_keys
        .iter()
        .map(|k| Aes256GcmCipher::new(*k))
        .collect();
    let previous: Vec<&dyn SecretCipher> =
        previous.iter().map(|c| c as &dyn SecretCipher).collect();
    let report = rekey_store(&store, &current, &previous).await?;
    tracing::info!(
        secrets = report.secrets,
        last_good_payloads = report.last_good_payloads,
        "re-encrypted with the current key"
    );
    println!(
        "{}",
        serde_json::to_string(&report).map_err(CliError::runtime)?
    );
    Ok(())
}
