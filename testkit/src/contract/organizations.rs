//! [`distr_ports::store::OrganizationStore`] cases.

use distr_domain::ids::OrganizationId;
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{OrganizationBuilder, fresh_uuid, name, unique_suffix};

/// A created organization reads back field for field.
pub async fn create_then_get_organization_round_trips(store: &dyn Store) {
    let mut org = OrganizationBuilder::new()
        .name("Acme Corp")
        .unique_slug()
        .build();
    org.pre_connect_script = Some("echo pre".to_owned());
    org.post_connect_script = Some("echo post".to_owned());
    org.connect_script_is_sudo = true;
    org.pre_post_scripts_enabled = true;
    store.create_organization(&org).await.unwrap();
    assert_eq!(store.get_organization(org.id).await.unwrap(), org);
}

/// `create_organization` MUST return `Conflict` for a taken slug.
pub async fn create_organization_rejects_duplicate_slug(store: &dyn Store) {
    let first = seed::organization(store).await;
    let slug = first.slug.clone().unwrap();
    let second = OrganizationBuilder::new().slug(&slug).build();
    let err = store.create_organization(&second).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store.get_organization(second.id).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// Slugs are optional: many organizations may have none.
pub async fn organizations_without_slug_do_not_conflict(store: &dyn Store) {
    let a = OrganizationBuilder::new().build();
    let b = OrganizationBuilder::new().build();
    store.create_organization(&a).await.unwrap();
    store.create_organization(&b).await.unwrap();
    assert_eq!(store.get_organization(b.id).await.unwrap().slug, None);
}

/// `get_organization` MUST return `NotFound` for an unknown id.
pub async fn get_unknown_organization_is_not_found(store: &dyn Store) {
    let unknown = OrganizationId::from_uuid(fresh_uuid());
    assert_eq!(
        store.get_organization(unknown).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `update_organization` replaces every mutable field.
pub async fn update_organization_replaces_mutable_fields(store: &dyn Store) {
    let mut org = seed::organization(store).await;
    org.name = name("Renamed");
    org.slug = Some(format!("renamed-{}", unique_suffix()));
    org.pre_connect_script = Some("echo hi".to_owned());
    org.connect_script_is_sudo = true;
    org.pre_post_scripts_enabled = true;
    store.update_organization(&org).await.unwrap();
    assert_eq!(store.get_organization(org.id).await.unwrap(), org);
}

/// `update_organization` MUST return `NotFound` for an unknown id.
pub async fn update_unknown_organization_is_not_found(store: &dyn Store) {
    let org = OrganizationBuilder::new().build();
    assert_eq!(
        store.update_organization(&org).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `update_organization` MUST return `Conflict` for a slug another organization has.
pub async fn update_organization_to_taken_slug_conflicts(store: &dyn Store) {
    let first = seed::organization(store).await;
    let mut second = seed::organization(store).await;
    let own_slug = second.slug.clone();
    second.slug.clone_from(&first.slug);
    let err = store.update_organization(&second).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store.get_organization(second.id).await.unwrap().slug,
        own_slug
    );
}

/// Keeping one's own slug on update is not a conflict.
pub async fn update_organization_keeping_its_slug_succeeds(store: &dyn Store) {
    let mut org = seed::organization(store).await;
    org.name = name("Same Slug");
    store.update_organization(&org).await.unwrap();
    assert_eq!(
        store.get_organization(org.id).await.unwrap().name,
        name("Same Slug")
    );
}

/// `count_organizations` counts every stored organization.
pub async fn count_organizations_counts_created_rows(store: &dyn Store) {
    let before = store.count_organizations().await.unwrap();
    seed::organization(store).await;
    seed::organization(store).await;
    assert_eq!(store.count_organizations().await.unwrap(), before + 2);
}
