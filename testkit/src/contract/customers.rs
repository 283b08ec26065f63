//! [`distr_ports::store::CustomerStore`] cases.

use distr_domain::ids::CustomerOrganizationId;
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{CustomerBuilder, fresh_uuid};

/// A created customer reads back; `create_customer` MUST return `Conflict` for a taken name.
pub async fn create_customer_rejects_duplicate_name_in_organization(store: &dyn Store) {
    let org = seed::organization(store).await;
    let first = seed::customer(store, org.id, "Globex").await;
    assert_eq!(store.get_customer(org.id, first.id).await.unwrap(), first);
    let second = CustomerBuilder::new(org.id).name("Globex").build();
    let err = store.create_customer(&second).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.list_customers(org.id).await.unwrap(), vec![first]);
}

/// Customer names are unique per organization only.
pub async fn same_customer_name_in_other_organization_is_allowed(store: &dyn Store) {
    let a = seed::organization(store).await;
    let b = seed::organization(store).await;
    seed::customer(store, a.id, "Initech").await;
    let other = seed::customer(store, b.id, "Initech").await;
    assert_eq!(store.get_customer(b.id, other.id).await.unwrap(), other);
}

/// `get_customer` MUST return `NotFound` for an unknown id or another organization's customer.
pub async fn get_customer_of_other_organization_is_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let customer = seed::customer(store, org.id, "Hooli").await;
    assert_eq!(
        store.get_customer(other.id, customer.id).await.unwrap_err(),
        StoreError::NotFound
    );
    let unknown = CustomerOrganizationId::from_uuid(fresh_uuid());
    assert_eq!(
        store.get_customer(org.id, unknown).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `list_customers` lists one organization's customers by name.
pub async fn list_customers_is_scoped_and_sorted_by_name(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let zeta = seed::customer(store, org.id, "Zeta").await;
    let alpha = seed::customer(store, org.id, "Alpha").await;
    let mid = seed::customer(store, org.id, "Mid").await;
    seed::customer(store, other.id, "Beta").await;
    assert_eq!(
        store.list_customers(org.id).await.unwrap(),
        vec![alpha, mid, zeta]
    );
}
