//! [`distr_ports::store::UserStore`] cases.

use distr_domain::ids::UserAccountId;
use distr_domain::names::Email;
use distr_domain::user::UserRole;
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{
    MembershipBuilder, UserBuilder, at_seconds, fresh_uuid, name, unique_suffix,
};

/// A created user (with a password) reads back field for field.
pub async fn create_then_get_user_round_trips(store: &dyn Store) {
    let user = UserBuilder::new()
        .name("Ada")
        .password_hash(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            at_seconds(5),
        )
        .build();
    store.create_user(&user).await.unwrap();
    assert_eq!(store.get_user(user.id).await.unwrap(), user);
}

/// `create_user` MUST return `Conflict` when the e-mail is taken.
pub async fn create_user_rejects_taken_email(store: &dyn Store) {
    let first = UserBuilder::new().build();
    store.create_user(&first).await.unwrap();
    let second = UserBuilder::new().email(first.email.as_str()).build();
    let err = store.create_user(&second).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store.get_user(second.id).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// E-mails are stored lowercased and found by their lowercased form.
pub async fn find_user_by_email_matches_lowercased_address(store: &dyn Store) {
    let local = format!("Mixed.{}", unique_suffix());
    let user = UserBuilder::new()
        .email(&format!("{local}@Example.COM"))
        .build();
    store.create_user(&user).await.unwrap();
    let lookup = Email::parse(&format!("{}@example.com", local.to_uppercase())).unwrap();
    let found = store
        .find_user_by_email(&lookup)
        .await
        .unwrap()
        .expect("user found");
    assert_eq!(found.id, user.id);
}

/// `find_user_by_email` gives `None` for an unknown address.
pub async fn find_user_by_unknown_email_is_none(store: &dyn Store) {
    let email = Email::parse(&format!("nobody-{}@example.com", unique_suffix())).unwrap();
    assert!(store.find_user_by_email(&email).await.unwrap().is_none());
}

/// `get_user` MUST return `NotFound` for an unknown id.
pub async fn get_unknown_user_is_not_found(store: &dyn Store) {
    let unknown = UserAccountId::from_uuid(fresh_uuid());
    assert_eq!(
        store.get_user(unknown).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `update_user` replaces name, password hash and time, last login and organization.
pub async fn update_user_replaces_mutable_fields(store: &dyn Store) {
    let org = seed::organization(store).await;
    let mut user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    user.name = name("New Name");
    user.password_hash = Some("$argon2id$new".to_owned());
    user.password_changed_at = Some(at_seconds(10));
    user.last_logged_in_at = Some(at_seconds(20));
    user.last_used_organization_id = Some(org.id);
    store.update_user(&user).await.unwrap();
    assert_eq!(store.get_user(user.id).await.unwrap(), user);
}

/// `update_user` MUST return `NotFound` for an unknown id.
pub async fn update_unknown_user_is_not_found(store: &dyn Store) {
    let user = UserBuilder::new().build();
    assert_eq!(
        store.update_user(&user).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `create_membership` MUST return `Conflict` for a second membership in one organization.
pub async fn create_membership_rejects_second_membership_in_same_organization(store: &dyn Store) {
    let org = seed::organization(store).await;
    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    store
        .create_membership(&MembershipBuilder::new(org.id, user.id).build())
        .await
        .unwrap();
    let again = MembershipBuilder::new(org.id, user.id)
        .role(UserRole::Admin)
        .build();
    let err = store.create_membership(&again).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let stored = store
        .get_membership(org.id, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.user_role, UserRole::ReadWrite);
}

/// Memberships list oldest first, per user and per organization, and read back whole.
pub async fn memberships_list_oldest_first(store: &dyn Store) {
    let org_a = seed::organization(store).await;
    let org_b = seed::organization(store).await;
    let customer = seed::customer(store, org_b.id, "Customer").await;
    let user = UserBuilder::new().build();
    let other = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    store.create_user(&other).await.unwrap();
    let newer = MembershipBuilder::new(org_a.id, user.id)
        .role(UserRole::Admin)
        .created_at(at_seconds(20))
        .build();
    let older = MembershipBuilder::new(org_b.id, user.id)
        .customer(customer.id)
        .role(UserRole::ReadOnly)
        .created_at(at_seconds(10))
        .build();
    let colleague = MembershipBuilder::new(org_a.id, other.id)
        .created_at(at_seconds(5))
        .build();
    for membership in [&newer, &older, &colleague] {
        store.create_membership(membership).await.unwrap();
    }
    assert_eq!(
        store.list_memberships_of_user(user.id).await.unwrap(),
        vec![older.clone(), newer.clone()]
    );
    assert_eq!(
        store
            .list_memberships_of_organization(org_a.id)
            .await
            .unwrap(),
        vec![colleague, newer]
    );
    assert_eq!(
        store.get_membership(org_b.id, user.id).await.unwrap(),
        Some(older)
    );
}

/// `get_membership` gives `None` in an organization the user is not a member of.
pub async fn get_membership_of_other_organization_is_none(store: &dyn Store) {
    let org = seed::organization(store).await;
    let elsewhere = seed::organization(store).await;
    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    store
        .create_membership(&MembershipBuilder::new(org.id, user.id).build())
        .await
        .unwrap();
    assert!(
        store
            .get_membership(elsewhere.id, user.id)
            .await
            .unwrap()
            .is_none()
    );
}

/// `record_login` sets the last login time and organization.
pub async fn record_login_sets_last_login_and_organization(store: &dyn Store) {
    let org = seed::organization(store).await;
    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    store
        .record_login(user.id, org.id, at_seconds(42))
        .await
        .unwrap();
    let stored = store.get_user(user.id).await.unwrap();
    assert_eq!(stored.last_logged_in_at, Some(at_seconds(42)));
    assert_eq!(stored.last_used_organization_id, Some(org.id));
}

/// `record_login` MUST return `NotFound` for an unknown user.
pub async fn record_login_of_unknown_user_is_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let unknown = UserAccountId::from_uuid(fresh_uuid());
    assert_eq!(
        store
            .record_login(unknown, org.id, at_seconds(1))
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
}

/// `list_members_of_organization` pairs each membership of the organization
/// with its account, oldest membership first, and nothing of other organizations.
pub async fn members_of_organization_come_with_their_accounts(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let mut expected = Vec::new();
    for (seconds, role) in [
        (30, UserRole::ReadOnly),
        (10, UserRole::Admin),
        (20, UserRole::ReadWrite),
    ] {
        let user = UserBuilder::new().build();
        store.create_user(&user).await.unwrap();
        let membership = MembershipBuilder::new(org.id, user.id)
            .role(role)
            .created_at(at_seconds(seconds))
            .build();
        store.create_membership(&membership).await.unwrap();
        expected.push((seconds, membership, user));
    }
    let stranger = UserBuilder::new().build();
    store.create_user(&stranger).await.unwrap();
    store
        .create_membership(&MembershipBuilder::new(other.id, stranger.id).build())
        .await
        .unwrap();
    expected.sort_by_key(|(seconds, _, _)| *seconds);
    let expected: Vec<_> = expected.into_iter().map(|(_, m, u)| (m, u)).collect();
    assert_eq!(
        store.list_members_of_organization(org.id).await.unwrap(),
        expected
    );
}

/// `set_password_if_unchanged` is a compare-and-set: of two racing calls with
/// the same previous change time exactly one wins, and a later one loses.
pub async fn set_password_if_unchanged_succeeds_once(store: &dyn Store) {
    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    let attempt = |hash: &str, seconds: i64| {
        let mut next = user.clone();
        next.name = name(&format!("Set {seconds}"));
        next.password_hash = Some(hash.to_owned());
        next.password_changed_at = Some(at_seconds(seconds));
        next
    };
    let (a, b) = (attempt("$argon2id$a", 100), attempt("$argon2id$b", 101));
    let (won_a, won_b) = tokio::join!(
        store.set_password_if_unchanged(&a, None),
        store.set_password_if_unchanged(&b, None)
    );
    let (won_a, won_b) = (won_a.unwrap(), won_b.unwrap());
    assert!(won_a ^ won_b, "exactly one wins: {won_a} {won_b}");
    let winner = if won_a { &a } else { &b };
    let stored = store.get_user(user.id).await.unwrap();
    assert_eq!(stored.password_hash, winner.password_hash);
    assert_eq!(stored.password_changed_at, winner.password_changed_at);
    assert_eq!(stored.name, winner.name);
    // The same stale expectation loses again; the current one wins once.
    assert!(
        !store
            .set_password_if_unchanged(&attempt("$argon2id$c", 102), None)
            .await
            .unwrap()
    );
    let current = winner.password_changed_at;
    assert!(
        store
            .set_password_if_unchanged(&attempt("$argon2id$d", 103), current)
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_password_if_unchanged(&attempt("$argon2id$e", 104), current)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .get_user(user.id)
            .await
            .unwrap()
            .password_hash
            .as_deref(),
        Some("$argon2id$d")
    );
    let unknown = UserBuilder::new().build();
    assert!(
        !store
            .set_password_if_unchanged(&unknown, None)
            .await
            .unwrap()
    );
}
