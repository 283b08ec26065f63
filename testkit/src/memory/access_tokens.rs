use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::ids::{AccessTokenId, OrganizationId, UserAccountId};
use distr_domain::user::AccessToken;
use distr_ports::StoreError;
use distr_ports::store::AccessTokenStore;

use super::{MemoryStore, conflict};

#[async_trait]
impl AccessTokenStore for MemoryStore {
    async fn create_access_token(&self, token: &AccessToken) -> Result<(), StoreError> {
        self.write(|s| {
            if s.access_tokens.contains_key(&token.id) {
                return Err(conflict("access token id"));
            }
            if s.access_tokens
                .values()
                .any(|t| t.key_hash == token.key_hash)
            {
                return Err(conflict("access token key hash"));
            }
            s.access_tokens.insert(token.id, token.clone());
            Ok(())
        })
    }

    async fn find_access_token_by_hash(
        &self,
        key_hash: &[u8; 32],
    ) -> Result<Option<AccessToken>, StoreError> {
        self.read(|s| {
            Ok(s.access_tokens
                .values()
                .find(|t| &t.key_hash == key_hash)
                .cloned())
        })
    }

    async fn list_access_tokens(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<Vec<AccessToken>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<AccessToken> = s
                .access_tokens
                .values()
                .filter(|t| t.organization_id == org && t.user_account_id == user)
                .cloned()
                .collect();
            rows.sort_by_key(|t| (t.created_at, t.id));
            Ok(rows)
        })
    }

    async fn delete_access_token(
        &self,
        org: OrganizationId,
        user: UserAccountId,
        id: AccessTokenId,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            let owned = s
                .access_tokens
                .get(&id)
                .is_some_and(|t| t.organization_id == org && t.user_account_id == user);
            if !owned {
                return Err(StoreError::NotFound);
            }
            s.access_tokens.remove(&id);
            Ok(())
        })
    }

    async fn touch_access_token(
        &self,
        id: AccessTokenId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            if let Some(token) = s.access_tokens.get_mut(&id) {
                token.last_used_at = Some(at);
            }
            Ok(())
        })
    }
}
