use distr_ports::store::{AccessTokenStore as _, OrganizationStore as _, UserStore as _};
use distr_testkit::MemoryStore;

use super::*;

/// Hashes by prefixing, so tests need no Argon2 time.
#[derive(Debug)]
struct PlainHasher;

#[async_trait::async_trait]
impl PasswordHasher for PlainHasher {
    async fn hash_password(&self, password: &str) -> Result<String, distr_ports::HashError> {
        Ok(format!("plain:{password}"))
    }
    async fn verify_password(&self, password: &str, phc: &str) -> bool {
        phc == format!("plain:{password}")
    }
    async fn verify_dummy(&self, _password: &str) {}
}

fn input(if_not_exists: bool, token: Option<&str>) -> AdminInput {
    AdminInput {
        org_name: Name::parse("org", "Acme").unwrap(),
        email: Email::parse("Admin@Example.com").unwrap(),
        name: Name::parse("name", "Ada").unwrap(),
        password: "generated-pw".to_owned(),
        generated: true,
        if_not_exists,
        token_label: token.map(str::to_owned),
    }
}

#[tokio::test]
async fn admin_create_makes_an_organization_with_a_vendor_admin() {
    let store = MemoryStore::new();
    let out = create_admin(
        &store,
        &SystemClock::new(),
        &PlainHasher,
        input(false, Some("ci")),
    )
    .await
    .unwrap();
    assert_eq!(out.password.as_deref(), Some("generated-pw"));
    let token = out.access_token.unwrap();
    assert!(token.starts_with("distr-") && token.len() == 38);
    let membership = store
        .get_membership(out.organization_id, out.user_account_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(membership.user_role, UserRole::Admin);
    assert_eq!(membership.customer_organization_id, None);
    let stored = store
        .find_access_token_by_hash(&hash_token(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.key_hint, token[token.len() - 4..]);
    assert_eq!(store.count_organizations().await.unwrap(), 1);
}

#[tokio::test]
async fn existing_email_fails_unless_if_not_exists_is_given() {
    let store = MemoryStore::new();
    let clock = SystemClock::new();
    let first = create_admin(&store, &clock, &PlainHasher, input(false, None))
        .await
        .unwrap();
    let err = create_admin(&store, &clock, &PlainHasher, input(false, None))
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), 1);
    let again = create_admin(&store, &clock, &PlainHasher, input(true, None))
        .await
        .unwrap();
    assert_eq!(again.organization_id, first.organization_id);
    assert_eq!(again.user_account_id, first.user_account_id);
    assert_eq!(
        again.password, None,
        "an existing password is never printed"
    );
    assert_eq!(store.count_organizations().await.unwrap(), 1);
}

#[test]
fn one_trailing_newline_is_stripped_from_the_password() {
    assert_eq!(strip_newline("pw\n".to_owned()), "pw");
    assert_eq!(strip_newline("pw\r\n".to_owned()), "pw");
    assert_eq!(strip_newline("pw\n\n".to_owned()), "pw\n");
    assert_eq!(strip_newline("pw".to_owned()), "pw");
}
