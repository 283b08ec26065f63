//! Last-good payloads (AP §11e): the most recent `AgentDeployment` served
//! for a deployment, stored encrypted with AAD = deployment id bytes.

use distr_domain::ids::DeploymentId;
use distr_domain::protocol::AgentDeployment;
use distr_domain::secret::LastGoodPayload;

use crate::state::AppState;

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
    state: &AppState,
    stored: &LastGoodPayload,
) -> Result<(Vec<u8>, AgentDeployment), LastGoodError> {
    let plain = state.cipher.decrypt(
        &stored.payload_ciphertext,
        &payload_aad(stored.deployment_id),
    )?;
    let payload =
        serde_json::from_slice(&plain).map_err(|err| LastGoodError::Decode(err.to_string()))?;
    Ok((plain, payload))
}

/// Encrypts a payload for storage.
#[must_use]
pub fn seal(state: &AppState, payload: &AgentDeployment, plaintext: &[u8]) -> LastGoodPayload {
    let deployment_id = payload_deployment_id(payload);
    LastGoodPayload {
        deployment_id,
        revision_id: payload_revision_id(payload),
        payload_ciphertext: state.cipher.encrypt(plaintext, &payload_aad(deployment_id)),
        updated_at: state.clock.now(),
    }
}

fn payload_deployment_id(payload: &AgentDeployment) -> DeploymentId {
    payload.id
}

fn payload_revision_id(payload: &AgentDeployment) -> distr_domain::ids::RevisionId {
    payload.revision_id
}
