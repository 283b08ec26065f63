//! [`distr_ports::store::AccessTokenStore`] cases.

use distr_domain::ids::AccessTokenId;
use distr_domain::organization::Organization;
use distr_domain::user::UserAccount;
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{AccessTokenBuilder, UserBuilder, at_seconds, fresh_uuid};

async fn member(store: &dyn Store) -> (Organization, UserAccount) {
    let org = seed::organization(store).await;
    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    (org, user)
}

/// A created token is found by its hash, field for field.
pub async fn access_token_is_found_by_hash(store: &dyn Store) {
    let (org, user) = member(store).await;
    let token = AccessTokenBuilder::new(org.id, user.id)
        .expires_at(at_seconds(3600))
        .build();
    store.create_access_token(&token).await.unwrap();
    assert_eq!(
        store
            .find_access_token_by_hash(&token.key_hash)
            .await
            .unwrap(),
        Some(token)
    );
    assert_eq!(
        store.find_access_token_by_hash(&[7; 32]).await.unwrap(),
        None
    );
}

/// `create_access_token` MUST return `Conflict` when the key hash exists.
pub async fn create_access_token_rejects_duplicate_hash(store: &dyn Store) {
    let (org, user) = member(store).await;
    let first = AccessTokenBuilder::new(org.id, user.id).build();
    store.create_access_token(&first).await.unwrap();
    let second = AccessTokenBuilder::new(org.id, user.id)
        .key_hash(first.key_hash)
        .build();
    let err = store.create_access_token(&second).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store.list_access_tokens(org.id, user.id).await.unwrap(),
        vec![first]
    );
}

/// Tokens list per user and organization, oldest first.
pub async fn list_access_tokens_is_scoped_and_oldest_first(store: &dyn Store) {
    let (org, user) = member(store).await;
    let other_org = seed::organization(store).await;
    let other_user = UserBuilder::new().build();
    store.create_user(&other_user).await.unwrap();
    let newer = AccessTokenBuilder::new(org.id, user.id)
        .created_at(at_seconds(20))
        .build();
    let older = AccessTokenBuilder::new(org.id, user.id)
        .created_at(at_seconds(10))
        .build();
    let foreign_org = AccessTokenBuilder::new(other_org.id, user.id).build();
    let foreign_user = AccessTokenBuilder::new(org.id, other_user.id).build();
    for token in [&newer, &older, &foreign_org, &foreign_user] {
        store.create_access_token(token).await.unwrap();
    }
    assert_eq!(
        store.list_access_tokens(org.id, user.id).await.unwrap(),
        vec![older, newer]
    );
}

/// `delete_access_token` MUST return `NotFound` for another user's or organization's token.
pub async fn delete_access_token_of_other_owner_is_not_found(store: &dyn Store) {
    let (org, user) = member(store).await;
    let (other_org, other_user) = member(store).await;
    let token = AccessTokenBuilder::new(org.id, user.id).build();
    store.create_access_token(&token).await.unwrap();
    let by_other_user = store
        .delete_access_token(org.id, other_user.id, token.id)
        .await;
    let in_other_org = store
        .delete_access_token(other_org.id, user.id, token.id)
        .await;
    let unknown = store
        .delete_access_token(org.id, user.id, AccessTokenId::from_uuid(fresh_uuid()))
        .await;
    assert_eq!(by_other_user.unwrap_err(), StoreError::NotFound);
    assert_eq!(in_other_org.unwrap_err(), StoreError::NotFound);
    assert_eq!(unknown.unwrap_err(), StoreError::NotFound);
    assert!(
        store
            .find_access_token_by_hash(&token.key_hash)
            .await
            .unwrap()
            .is_some()
    );
}

/// `delete_access_token` removes the owner's token.
pub async fn delete_access_token_removes_it(store: &dyn Store) {
    let (org, user) = member(store).await;
    let token = AccessTokenBuilder::new(org.id, user.id).build();
    store.create_access_token(&token).await.unwrap();
    store
        .delete_access_token(org.id, user.id, token.id)
        .await
        .unwrap();
    assert!(
        store
            .find_access_token_by_hash(&token.key_hash)
            .await
            .unwrap()
            .is_none()
    );
}

/// `touch_access_token` sets `last_used_at`; an unknown token MUST be ignored.
pub async fn touch_access_token_sets_last_used_and_ignores_unknown(store: &dyn Store) {
    let (org, user) = member(store).await;
    let token = AccessTokenBuilder::new(org.id, user.id).build();
    store.create_access_token(&token).await.unwrap();
    store
        .touch_access_token(token.id, at_seconds(99))
        .await
        .unwrap();
    let stored = store
        .find_access_token_by_hash(&token.key_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.last_used_at, Some(at_seconds(99)));
    store
        .touch_access_token(AccessTokenId::from_uuid(fresh_uuid()), at_seconds(1))
        .await
        .unwrap();
}
