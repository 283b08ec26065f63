//! [`distr_ports::store::SecretStore`] and [`distr_ports::store::LastGoodPayloadStore`] cases.

use distr_domain::ids::{DeploymentId, SecretId};
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{SecretBuilder, UserBuilder, at_seconds, fresh_uuid, last_good_payload};

/// `create_secret` MUST return `Conflict` when the key exists in the same scope.
pub async fn create_secret_rejects_duplicate_key_in_same_scope(store: &dyn Store) {
    let org = seed::organization(store).await;
    let customer = seed::customer(store, org.id, "C").await;
    let vendor = SecretBuilder::new(org.id, "DB_PASSWORD", b"v1").build();
    let scoped = SecretBuilder::new(org.id, "DB_PASSWORD", b"c1")
        .customer(customer.id)
        .build();
    store.create_secret(&vendor).await.unwrap();
    store.create_secret(&scoped).await.unwrap();
    for duplicate in [
        SecretBuilder::new(org.id, "DB_PASSWORD", b"v2").build(),
        SecretBuilder::new(org.id, "DB_PASSWORD", b"c2")
            .customer(customer.id)
            .build(),
    ] {
        let err = store.create_secret(&duplicate).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    }
    assert_eq!(
        store.list_secrets(org.id, None).await.unwrap(),
        vec![vendor]
    );
}

/// Keys are unique per (organization, customer) only.
pub async fn same_secret_key_in_other_organization_is_allowed(store: &dyn Store) {
    let a = seed::organization(store).await;
    let b = seed::organization(store).await;
    store
        .create_secret(&SecretBuilder::new(a.id, "TOKEN", b"a").build())
        .await
        .unwrap();
    let other = SecretBuilder::new(b.id, "TOKEN", b"b").build();
    store.create_secret(&other).await.unwrap();
    assert_eq!(store.list_secrets(b.id, None).await.unwrap(), vec![other]);
}

/// `list_secrets` lists exactly one scope, with no fallback between scopes.
pub async fn list_secrets_returns_exactly_one_scope(store: &dyn Store) {
    let org = seed::organization(store).await;
    let c1 = seed::customer(store, org.id, "One").await;
    let c2 = seed::customer(store, org.id, "Two").await;
    let vendor = SecretBuilder::new(org.id, "VENDOR", b"v").build();
    let first = SecretBuilder::new(org.id, "FIRST", b"1")
        .customer(c1.id)
        .build();
    for secret in [&vendor, &first] {
        store.create_secret(secret).await.unwrap();
    }
    assert_eq!(
        store.list_secrets(org.id, None).await.unwrap(),
        vec![vendor]
    );
    assert_eq!(
        store.list_secrets(org.id, Some(c1.id)).await.unwrap(),
        vec![first]
    );
    assert!(
        store
            .list_secrets(org.id, Some(c2.id))
            .await
            .unwrap()
            .is_empty()
    );
}

/// `list_organization_secrets` lists every scope of one organization,
/// vendor-level first, then by customer id and key.
pub async fn list_organization_secrets_returns_every_scope_of_one_organization(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let c1 = seed::customer(store, org.id, "One").await;
    let c2 = seed::customer(store, org.id, "Two").await;
    let (low, high) = if c1.id < c2.id { (c1, c2) } else { (c2, c1) };
    let vendor_b = SecretBuilder::new(org.id, "B", b"v").build();
    let vendor_a = SecretBuilder::new(org.id, "A", b"v").build();
    let high_z = SecretBuilder::new(org.id, "Z", b"h")
        .customer(high.id)
        .build();
    let low_y = SecretBuilder::new(org.id, "Y", b"l")
        .customer(low.id)
        .build();
    let foreign = SecretBuilder::new(other.id, "A", b"o").build();
    for secret in [&high_z, &vendor_b, &low_y, &foreign, &vendor_a] {
        store.create_secret(secret).await.unwrap();
    }
    assert_eq!(
        store.list_organization_secrets(org.id).await.unwrap(),
        vec![vendor_a, vendor_b, low_y, high_z]
    );
    assert_eq!(
        store.list_organization_secrets(other.id).await.unwrap(),
        vec![foreign]
    );
}

/// `update_secret` replaces value, `updated_at` and `updated_by` only.
pub async fn update_secret_replaces_value_and_audit_fields(store: &dyn Store) {
    let org = seed::organization(store).await;
    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    let secret = SecretBuilder::new(org.id, "API_KEY", b"old").build();
    store.create_secret(&secret).await.unwrap();
    let mut changed = secret.clone();
    changed.value_ciphertext = b"new".to_vec();
    changed.updated_at = at_seconds(500);
    changed.updated_by_user_account_id = Some(user.id);
    let mut update = changed.clone();
    update.created_at = at_seconds(1);
    store.update_secret(&update).await.unwrap();
    assert_eq!(
        store.list_secrets(org.id, None).await.unwrap(),
        vec![changed]
    );
}

/// `update_secret` MUST return `NotFound` for an unknown id or another organization's secret.
pub async fn update_secret_of_other_organization_is_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let secret = SecretBuilder::new(org.id, "API_KEY", b"old").build();
    store.create_secret(&secret).await.unwrap();
    let mut foreign = secret.clone();
    foreign.organization_id = other.id;
    foreign.value_ciphertext = b"stolen".to_vec();
    assert_eq!(
        store.update_secret(&foreign).await.unwrap_err(),
        StoreError::NotFound
    );
    let unknown = SecretBuilder::new(org.id, "NOPE", b"x").build();
    assert_eq!(
        store.update_secret(&unknown).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        store.list_secrets(org.id, None).await.unwrap(),
        vec![secret]
    );
}

/// `delete_secret` MUST return `NotFound` for another organization's secret and deletes one's own.
pub async fn delete_secret_is_scoped_to_organization(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let secret = SecretBuilder::new(org.id, "API_KEY", b"x").build();
    store.create_secret(&secret).await.unwrap();
    assert_eq!(
        store.delete_secret(other.id, secret.id).await.unwrap_err(),
        StoreError::NotFound
    );
    let unknown = SecretId::from_uuid(fresh_uuid());
    assert_eq!(
        store.delete_secret(org.id, unknown).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(store.list_secrets(org.id, None).await.unwrap().len(), 1);
    store.delete_secret(org.id, secret.id).await.unwrap();
    assert!(store.list_secrets(org.id, None).await.unwrap().is_empty());
}

/// A put replaces the payload; gets leave out deployments without one.
pub async fn last_good_payload_put_replaces_and_get_leaves_out_missing(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (without, _) = seed::deployment_on(store, &seeded.target, &seeded.version).await;
    let d = seeded.deployment.id;
    store
        .put_last_good_payload(&last_good_payload(d, seeded.revision.id, b"first"))
        .await
        .unwrap();
    let mut second = last_good_payload(d, seeded.revision.id, b"second");
    second.updated_at = at_seconds(77);
    store.put_last_good_payload(&second).await.unwrap();
    let payloads = store
        .get_last_good_payloads(&[d, without.id])
        .await
        .unwrap();
    assert_eq!(payloads, vec![second]);
}

/// A payload for a deployment that no longer exists MUST be ignored.
pub async fn put_last_good_payload_for_missing_deployment_is_ignored(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let gone = DeploymentId::from_uuid(fresh_uuid());
    store
        .put_last_good_payload(&last_good_payload(gone, seeded.revision.id, b"x"))
        .await
        .unwrap();
    assert!(
        store
            .get_last_good_payloads(&[gone])
            .await
            .unwrap()
            .is_empty()
    );
}
