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

/// A deployment on `target` whose first revision has `env` (created at `at`).
async fn deployment_with_env(
    store: &dyn Store,
    target: &distr_domain::target::DeploymentTarget,
    version: &distr_domain::application::ApplicationVersion,
    env: &str,
) -> (
    distr_domain::deployment::Deployment,
    distr_domain::deployment::DeploymentRevision,
) {
    let deployment =
        crate::builders::DeploymentBuilder::new(target.id, version.application_id).build();
    let revision = crate::builders::RevisionBuilder::new(deployment.id, version.id)
        .created_at(deployment.created_at)
        .env_file(env)
        .build();
    store
        .create_deployment(&deployment, &revision)
        .await
        .unwrap();
    (deployment, revision)
}

/// `get_secret` reads a secret of its organization; `NotFound` for others.
pub async fn get_secret_is_scoped_to_organization(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let secret = SecretBuilder::new(org.id, "API_KEY", b"x").build();
    store.create_secret(&secret).await.unwrap();
    assert_eq!(store.get_secret(org.id, secret.id).await.unwrap(), secret);
    assert_eq!(
        store.get_secret(other.id, secret.id).await.unwrap_err(),
        StoreError::NotFound
    );
    assert!(store.list_all_secrets().await.unwrap().contains(&secret));
}

/// `change_secret_value` MUST add one `secret_changed` copy to exactly the
/// deployments in the secret's scope whose current revision references the key.
pub async fn change_secret_value_copies_only_referencing_current_revisions(store: &dyn Store) {
    use distr_domain::deployment::RevisionTrigger;
    let org = seed::organization(store).await;
    let customer = seed::customer(store, org.id, "C").await;
    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    let vendor_target = seed::target(store, org.id, "vendor").await;
    let version = seed::agent_version(store).await;
    let customer_target = crate::builders::TargetBuilder::docker(org.id)
        .owned_by(customer.id)
        .agent_version(version.id)
        .build();
    store.create_target(&customer_target).await.unwrap();
    let (_, app_version) = seed::docker_app(store, org.id).await;
    let uses = "A={{ .Secrets.DB }}\n";
    let (hit, hit_rev) = deployment_with_env(store, &vendor_target, &app_version, uses).await;
    let (miss, _) = deployment_with_env(store, &vendor_target, &app_version, "A=1\n").await;
    let (other_scope, _) = deployment_with_env(store, &customer_target, &app_version, uses).await;
    // Referenced only by an older revision: not current, so no copy.
    let (old, old_rev) = deployment_with_env(store, &vendor_target, &app_version, uses).await;
    let newer = crate::builders::RevisionBuilder::new(old.id, app_version.id)
        .created_at(old_rev.created_at + chrono::TimeDelta::seconds(1))
        .env_file("A=2\n")
        .build();
    store.add_revision(&newer).await.unwrap();
    let secret = SecretBuilder::new(org.id, "DB", b"old").build();
    store.create_secret(&secret).await.unwrap();

    let mut changed = secret.clone();
    changed.value_ciphertext = b"new".to_vec();
    changed.updated_at = hit_rev.created_at + chrono::TimeDelta::seconds(60);
    changed.updated_by_user_account_id = Some(user.id);
    let copies = store.change_secret_value(&changed).await.unwrap();

    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy = &copies[0];
    assert_eq!(copy.deployment_id, hit.id);
    assert_ne!(copy.id, hit_rev.id);
    assert_eq!(copy.trigger, RevisionTrigger::SecretChanged);
    assert_eq!(copy.created_at, changed.updated_at);
    assert_eq!(copy.created_by_user_account_id, Some(user.id));
    assert_eq!(copy.env_file_data.as_deref(), Some(uses));
    assert_eq!(store.list_revisions(hit.id).await.unwrap()[0], *copy);
    for (deployment, count) in [(miss.id, 1), (other_scope.id, 1), (old.id, 2)] {
        assert_eq!(store.list_revisions(deployment).await.unwrap().len(), count);
    }
    assert_eq!(store.get_secret(org.id, secret.id).await.unwrap(), changed);
}

/// `change_secret_value` MUST return `NotFound`, changing nothing, for another organization.
pub async fn change_secret_value_of_other_organization_is_not_found(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let other = seed::organization(store).await;
    let secret = SecretBuilder::new(seeded.org.id, "DB", b"old").build();
    store.create_secret(&secret).await.unwrap();
    let mut foreign = secret.clone();
    foreign.organization_id = other.id;
    foreign.value_ciphertext = b"new".to_vec();
    assert_eq!(
        store.change_secret_value(&foreign).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        store.get_secret(seeded.org.id, secret.id).await.unwrap(),
        secret
    );
}

/// `delete_secret` MUST return `InUse` while a current revision in its scope references the key.
pub async fn delete_secret_referenced_by_current_revision_is_in_use(store: &dyn Store) {
    let org = seed::organization(store).await;
    let customer = seed::customer(store, org.id, "C").await;
    let target = seed::target(store, org.id, "vendor").await;
    let (_, version) = seed::docker_app(store, org.id).await;
    deployment_with_env(store, &target, &version, "A={{ .Secrets.DB }}\n").await;
    let vendor = SecretBuilder::new(org.id, "DB", b"v").build();
    // Same key, other scope: no vendor target resolves it.
    let scoped = SecretBuilder::new(org.id, "DB", b"c")
        .customer(customer.id)
        .build();
    for secret in [&vendor, &scoped] {
        store.create_secret(secret).await.unwrap();
    }
    let err = store.delete_secret(org.id, vendor.id).await.unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err:?}");
    assert_eq!(store.get_secret(org.id, vendor.id).await.unwrap(), vendor);
    store.delete_secret(org.id, scoped.id).await.unwrap();
}

/// `list_all_last_good_payloads` lists every stored payload.
pub async fn list_all_last_good_payloads_lists_stored_ones(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let payload = last_good_payload(seeded.deployment.id, seeded.revision.id, b"p");
    store.put_last_good_payload(&payload).await.unwrap();
    assert!(
        store
            .list_all_last_good_payloads()
            .await
            .unwrap()
            .contains(&payload)
    );
}
