//! Last-good payloads (AP §11e): the most recent `AgentDeployment` served
//! for a deployment, stored encrypted with AAD = deployment id bytes.

use distr_domain::ids::DeploymentId;
use distr_domain::protocol::AgentDeployment;
use distr_domain::secret::LastGoodPayload;

use chrono::{DateTime, Utc};
use distr_ports::SecretCipher;

/// Why a stored payload cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LastGoodError {
    /// Decryption failed (wrong key or tampering).
    #[error("cannot decrypt last-good payload: {0}")]
    Decrypt(#[from] distr_ports::CipherError),
    /// The plaintext is not an `AgentDeployment`.
    #[error("cannot decode last-good payload: {0}")]
    Decode(String),
}

/// The associated data of a payload's ciphertext.
#[must_use]
pub fn payload_aad(deployment: DeploymentId) -> Vec<u8> {
    deployment.as_uuid().as_bytes().to_vec()
}

/// Serializes a payload as stored (before encryption).
#[must_use]
pub fn payload_plaintext(payload: &AgentDeployment) -> Vec<u8> {
    // Serializing plain data to JSON cannot fail; an empty vector would only
    // make the next comparison differ and rewrite the payload.
    serde_json::to_vec(payload).unwrap_or_default()
}

/// Decrypts and decodes a stored payload.
///
/// # Errors
/// [`LastGoodError`] when the ciphertext or plaintext is unusable.
pub fn open(
    cipher: &dyn SecretCipher,
    stored: &LastGoodPayload,
) -> Result<(Vec<u8>, AgentDeployment), LastGoodError> {
    let plain = cipher.decrypt(
        &stored.payload_ciphertext,
        &payload_aad(stored.deployment_id),
    )?;
    let payload =
        serde_json::from_slice(&plain).map_err(|err| LastGoodError::Decode(err.to_string()))?;
    Ok((plain, payload))
}

/// Encrypts a payload for storage.
#[must_use]
pub fn seal(
    cipher: &dyn SecretCipher,
    now: DateTime<Utc>,
    payload: &AgentDeployment,
    plaintext: &[u8],
) -> LastGoodPayload {
    let deployment_id = payload_deployment_id(payload);
    LastGoodPayload {
        deployment_id,
        revision_id: payload_revision_id(payload),
        payload_ciphertext: cipher.encrypt(plaintext, &payload_aad(deployment_id)),
        updated_at: now,
    }
}

fn payload_deployment_id(payload: &AgentDeployment) -> DeploymentId {
    payload.id
}

fn payload_revision_id(payload: &AgentDeployment) -> distr_domain::ids::RevisionId {
    payload.revision_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use distr_domain::ids::RevisionId;

    fn payload() -> AgentDeployment {
        AgentDeployment {
            id: DeploymentId::from_uuid(uuid::Uuid::now_v7()),
            revision_id: RevisionId::from_uuid(uuid::Uuid::now_v7()),
            registry_auth: None,
            logs_enabled: true,
            force_restart: false,
            compose_file: Some(b"name: distr-x\n".to_vec()),
            env_file: Some(b"PASSWORD=rendered-secret\n".to_vec()),
            docker_type: None,
            release_name: String::new(),
            chart_url: String::new(),
            chart_name: String::new(),
            chart_version: String::new(),
            values: None,
            ignore_revision_skew: false,
        }
    }

    #[test]
    fn sealed_payload_opens_to_the_same_payload() {
        let cipher = distr_crypto::Aes256GcmCipher::new([7; 32]);
        let payload = payload();
        let plaintext = payload_plaintext(&payload);
        let sealed = seal(&cipher, Utc::now(), &payload, &plaintext);
        assert_eq!(sealed.deployment_id, payload.id);
        assert_eq!(sealed.revision_id, payload.revision_id);
        let needle = b"rendered-secret";
        assert!(
            !sealed
                .payload_ciphertext
                .windows(needle.len())
                .any(|w| w == needle)
        );
        let (opened_text, opened) = open(&cipher, &sealed).unwrap();
        assert_eq!(opened_text, plaintext);
        assert!(opened == payload);
    }

    #[test]
    fn payload_bound_to_another_deployment_does_not_open() {
        let cipher = distr_crypto::Aes256GcmCipher::new([7; 32]);
        let payload = payload();
        let mut sealed = seal(&cipher, Utc::now(), &payload, &payload_plaintext(&payload));
        sealed.deployment_id = DeploymentId::from_uuid(uuid::Uuid::now_v7());
        assert!(matches!(
            open(&cipher, &sealed),
            Err(LastGoodError::Decrypt(_))
        ));
    }
}
