//! Membership changes of [`distr_ports::store::UserStore`]: role updates and
//! removal, with the last-vendor-admin rule (HS §2.2).

use distr_domain::ids::UserAccountId;
use distr_domain::organization::Organization;
use distr_domain::user::{Membership, UserRole};
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{AccessTokenBuilder, MembershipBuilder, UserBuilder, fresh_uuid};

/// A new user with a membership in `org`.
async fn member(
    store: &dyn Store,
    org: &Organization,
    role: UserRole,
    customer: Option<distr_domain::ids::CustomerOrganizationId>,
) -> Membership {
    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    let mut builder = MembershipBuilder::new(org.id, user.id).role(role);
    if let Some(customer) = customer {
        builder = builder.customer(customer);
    }
    let membership = builder.build();
    store.create_membership(&membership).await.unwrap();
    membership
}

async fn role_of(store: &dyn Store, m: &Membership) -> Option<UserRole> {
    store
        .get_membership(m.organization_id, m.user_account_id)
        .await
        .unwrap()
        .map(|m| m.user_role)
}

/// `update_membership_role` changes the role and keeps the customer.
pub async fn update_membership_role_changes_only_the_role(store: &dyn Store) {
    let org = seed::organization(store).await;
    let customer = seed::customer(store, org.id, "Customer").await;
    let m = member(store, &org, UserRole::ReadOnly, Some(customer.id)).await;
    store
        .update_membership_role(org.id, m.user_account_id, UserRole::Admin)
        .await
        .unwrap();
    let stored = store
        .get_membership(org.id, m.user_account_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored,
        Membership {
            user_role: UserRole::Admin,
            ..m
        }
    );
}

/// `update_membership_role` and `delete_membership` MUST return `NotFound`
/// for a user who is not a member of the organization.
pub async fn membership_changes_of_non_members_are_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let elsewhere = seed::organization(store).await;
    let m = member(store, &elsewhere, UserRole::ReadWrite, None).await;
    let unknown = UserAccountId::from_uuid(fresh_uuid());
    for user in [m.user_account_id, unknown] {
        assert_eq!(
            store
                .update_membership_role(org.id, user, UserRole::ReadOnly)
                .await
                .unwrap_err(),
            StoreError::NotFound
        );
        assert_eq!(
            store.delete_membership(org.id, user).await.unwrap_err(),
            StoreError::NotFound
        );
    }
    assert_eq!(role_of(store, &m).await, Some(UserRole::ReadWrite));
}

/// Demoting the only vendor admin MUST return `LastAdmin` and change
/// nothing; a customer admin does not count; with a second vendor admin the
/// demotion succeeds.
pub async fn demoting_the_last_vendor_admin_is_refused(store: &dyn Store) {
    let org = seed::organization(store).await;
    let customer = seed::customer(store, org.id, "Customer").await;
    let admin = member(store, &org, UserRole::Admin, None).await;
    member(store, &org, UserRole::Admin, Some(customer.id)).await;
    assert_eq!(
        store
            .update_membership_role(org.id, admin.user_account_id, UserRole::ReadWrite)
            .await
            .unwrap_err(),
        StoreError::LastAdmin
    );
    assert_eq!(role_of(store, &admin).await, Some(UserRole::Admin));
    // Keeping the admin role is no demotion.
    store
        .update_membership_role(org.id, admin.user_account_id, UserRole::Admin)
        .await
        .unwrap();
    member(store, &org, UserRole::Admin, None).await;
    store
        .update_membership_role(org.id, admin.user_account_id, UserRole::ReadOnly)
        .await
        .unwrap();
    assert_eq!(role_of(store, &admin).await, Some(UserRole::ReadOnly));
}

/// `delete_membership` removes the membership and the user's tokens in that
/// organization, and keeps the account, its other memberships and tokens.
pub async fn delete_membership_removes_it_and_its_tokens_there(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other_org = seed::organization(store).await;
    let m = member(store, &org, UserRole::ReadWrite, None).await;
    let user = m.user_account_id;
    let elsewhere = MembershipBuilder::new(other_org.id, user).build();
    store.create_membership(&elsewhere).await.unwrap();
    let here = AccessTokenBuilder::new(org.id, user).build();
    let there = AccessTokenBuilder::new(other_org.id, user).build();
    store.create_access_token(&here).await.unwrap();
    store.create_access_token(&there).await.unwrap();
    store.delete_membership(org.id, user).await.unwrap();
    assert_eq!(store.get_membership(org.id, user).await.unwrap(), None);
    assert_eq!(
        store.get_membership(other_org.id, user).await.unwrap(),
        Some(elsewhere)
    );
    assert!(
        store
            .list_access_tokens(org.id, user)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .find_access_token_by_hash(&here.key_hash)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.list_access_tokens(other_org.id, user).await.unwrap(),
        vec![there]
    );
    assert_eq!(store.get_user(user).await.unwrap().id, user);
}

/// Removing the only vendor admin MUST return `LastAdmin` and keep the
/// membership and its tokens; with a second vendor admin it succeeds.
pub async fn removing_the_last_vendor_admin_is_refused(store: &dyn Store) {
    let org = seed::organization(store).await;
    let admin = member(store, &org, UserRole::Admin, None).await;
    member(store, &org, UserRole::ReadWrite, None).await;
    let token = AccessTokenBuilder::new(org.id, admin.user_account_id).build();
    store.create_access_token(&token).await.unwrap();
    assert_eq!(
        store
            .delete_membership(org.id, admin.user_account_id)
            .await
            .unwrap_err(),
        StoreError::LastAdmin
    );
    assert_eq!(role_of(store, &admin).await, Some(UserRole::Admin));
    assert_eq!(
        store
            .list_access_tokens(org.id, admin.user_account_id)
            .await
            .unwrap(),
        vec![token]
    );
    member(store, &org, UserRole::Admin, None).await;
    store
        .delete_membership(org.id, admin.user_account_id)
        .await
        .unwrap();
    assert_eq!(role_of(store, &admin).await, None);
}
