use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::ids::{AccessTokenId, OrganizationId, UserAccountId};
use distr_domain::user::AccessToken;

use super::StoreError;

/// Personal access tokens, stored by hash.
#[async_trait]
pub trait AccessTokenStore: Send + Sync {
    /// Inserts a token.
    ///
    /// # Errors
    /// MUST return `Conflict` when the key hash already exists.
    async fn create_access_token(&self, token: &AccessToken) -> Result<(), StoreError>;

    /// Finds a token by the SHA-256 of its text; `None` when absent.
    async fn find_access_token_by_hash(
        &self,
        key_hash: &[u8; 32],
    ) -> Result<Option<AccessToken>, StoreError>;

    /// The tokens of `user` in `org`, oldest first.
    async fn list_access_tokens(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<Vec<AccessToken>, StoreError>;

    /// Deletes one token of `user` in `org`.
    ///
    /// # Errors
    /// MUST return `NotFound` when no such token belongs to that user and organization.
    async fn delete_access_token(
        &self,
        org: OrganizationId,
        user: UserAccountId,
        id: AccessTokenId,
    ) -> Result<(), StoreError>;

    /// Sets `last_used_at`. A missing token MUST be ignored (no error).
    async fn touch_access_token(
        &self,
        id: AccessTokenId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}
