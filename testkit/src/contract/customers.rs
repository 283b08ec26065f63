//! [`distr_ports::store::CustomerStore`] cases.

use distr_domain::ids::CustomerOrganizationId;
use distr_ports::store::CustomerCounts;
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

/// `customer_counts` MUST be exact, with zeros for customers without rows.
pub async fn customer_counts_are_exact(store: &dyn Store) {
    use crate::builders::{MembershipBuilder, TargetBuilder, UserBuilder};
    let org = seed::organization(store).await;
    let busy = seed::customer(store, org.id, "Busy").await;
    let empty = seed::customer(store, org.id, "Empty").await;
    for _ in 0..2 {
        let user = UserBuilder::new().build();
        store.create_user(&user).await.unwrap();
        let membership = MembershipBuilder::new(org.id, user.id)
            .customer(busy.id)
            .build();
        store.create_membership(&membership).await.unwrap();
    }
    let vendor_user = UserBuilder::new().build();
    store.create_user(&vendor_user).await.unwrap();
    store
        .create_membership(&MembershipBuilder::new(org.id, vendor_user.id).build())
        .await
        .unwrap();
    let version = seed::agent_version(store).await;
    for owner in [Some(busy.id), Some(busy.id), Some(busy.id), None] {
        let mut target = TargetBuilder::docker(org.id).agent_version(version.id);
        if let Some(owner) = owner {
            target = target.owned_by(owner);
        }
        store.create_target(&target.build()).await.unwrap();
    }
    let counts = store.customer_counts(org.id).await.unwrap();
    assert_eq!(
        counts,
        vec![
            CustomerCounts {
                customer_organization_id: busy.id,
                users: 2,
                deployment_targets: 3,
            },
            CustomerCounts {
                customer_organization_id: empty.id,
                users: 0,
                deployment_targets: 0,
            },
        ]
    );
}

/// `update_customer` renames; `Conflict` on a taken name, `NotFound` across organizations.
pub async fn update_customer_renames_and_rejects_taken_names(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let first = seed::customer(store, org.id, "First").await;
    seed::customer(store, org.id, "Second").await;
    let mut renamed = first.clone();
    renamed.name = crate::builders::name("Renamed");
    store.update_customer(&renamed).await.unwrap();
    assert_eq!(store.get_customer(org.id, first.id).await.unwrap(), renamed);
    let mut taken = renamed.clone();
    taken.name = crate::builders::name("Second");
    let err = store.update_customer(&taken).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let mut foreign = renamed.clone();
    foreign.organization_id = other.id;
    assert_eq!(
        store.update_customer(&foreign).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `delete_customer` MUST return `InUse` while it owns targets; otherwise it
/// removes its memberships, their access tokens and its secrets.
pub async fn delete_customer_blocks_on_targets_and_cascades_the_rest(store: &dyn Store) {
    use crate::builders::{
        AccessTokenBuilder, MembershipBuilder, SecretBuilder, TargetBuilder, UserBuilder,
    };
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let owner = seed::customer(store, org.id, "Owner").await;
    let version = seed::agent_version(store).await;
    let target = TargetBuilder::docker(org.id)
        .owned_by(owner.id)
        .agent_version(version.id)
        .build();
    store.create_target(&target).await.unwrap();
    let err = store.delete_customer(org.id, owner.id).await.unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err:?}");

    let gone = seed::customer(store, org.id, "Gone").await;
    let member = UserBuilder::new().build();
    let vendor = UserBuilder::new().build();
    for user in [&member, &vendor] {
        store.create_user(user).await.unwrap();
    }
    store
        .create_membership(
            &MembershipBuilder::new(org.id, member.id)
                .customer(gone.id)
                .build(),
        )
        .await
        .unwrap();
    store
        .create_membership(&MembershipBuilder::new(org.id, vendor.id).build())
        .await
        .unwrap();
    let member_token = AccessTokenBuilder::new(org.id, member.id).build();
    let vendor_token = AccessTokenBuilder::new(org.id, vendor.id).build();
    for token in [&member_token, &vendor_token] {
        store.create_access_token(token).await.unwrap();
    }
    let secret = SecretBuilder::new(org.id, "KEY", b"x")
        .customer(gone.id)
        .build();
    store.create_secret(&secret).await.unwrap();
    assert_eq!(
        store.delete_customer(other.id, gone.id).await.unwrap_err(),
        StoreError::NotFound
    );

    store.delete_customer(org.id, gone.id).await.unwrap();
    assert_eq!(
        store.get_customer(org.id, gone.id).await.unwrap_err(),
        StoreError::NotFound
    );
    assert!(
        store
            .get_membership(org.id, member.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .get_membership(org.id, vendor.id)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .find_access_token_by_hash(&member_token.key_hash)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .find_access_token_by_hash(&vendor_token.key_hash)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store.get_secret(org.id, secret.id).await.unwrap_err(),
        StoreError::NotFound
    );
    assert!(store.get_customer(org.id, owner.id).await.is_ok());
}
