//! Personal access tokens: `distr-<32 hex>`, stored as SHA-256 (HS §2.2).

use distr_domain::user::AccessToken;
use sha2::{Digest, Sha256};

use super::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// The prefix of every PAT.
pub const PAT_PREFIX: &str = "distr-";

/// `lastUsedAt` is written at most this often.
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// SHA-256 of the whole token text.
#[must_use]
pub fn hash_token(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// A fresh token text from 16 CSPRNG bytes.
#[must_use]
pub fn new_token_text() -> String {
    format!(
        "{PAT_PREFIX}{}",
        hex::encode(distr_crypto::random_bytes::<16>())
    )
}

fn well_formed(text: &str) -> bool {
    text.strip_prefix(PAT_PREFIX).is_some_and(|hex| {
        hex.len() == 32 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// Looks a PAT up by hash and resolves its owner's current membership.
pub(super) async fn authenticate(state: &AppState, text: &str) -> Result<UserPrincipal, ApiError> {
    if !well_formed(text) {
        return Err(ApiError::unauthorized());
    }
    let token: AccessToken = state
        .store
        .find_access_token_by_hash(&hash_token(text))
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    let now = state.clock.now();
    if token.expires_at.is_some_and(|exp| exp <= now) {
        return Err(ApiError::unauthorized());
    }
    let membership = state
        .store
        .get_membership(token.organization_id, token.user_account_id)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    if token
        .last_used_at
        .is_none_or(|last| now - last >= TOUCH_EVERY)
    {
        // A failed touch must not fail the request; the next one retries.
        if let Err(err) = state.store.touch_access_token(token.id, now).await {
            tracing::warn!(error = %err, "cannot record token use");
        }
    }
    Ok(UserPrincipal {
        user_id: token.user_account_id,
        organization_id: token.organization_id,
        role: membership.user_role,
        customer_organization_id: membership.customer_organization_id,
        token_id: Some(token.id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_well_formed_and_distinct() {
        let a = new_token_text();
        let b = new_token_text();
        assert!(well_formed(&a));
        assert_ne!(a, b);
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        assert!(!well_formed("distr-ABCDEF0123456789abcdef0123456789"));
        assert!(!well_formed("distr-abc"));
        assert!(!well_formed("token-0123456789abcdef0123456789abcdef"));
    }
}
