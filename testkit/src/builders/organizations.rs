use chrono::{DateTime, Utc};
use distr_domain::ids::{AccessTokenId, CustomerOrganizationId, OrganizationId, UserAccountId};
use distr_domain::names::{Email, Name};
use distr_domain::organization::{CustomerOrganization, Organization};
use distr_domain::user::{AccessToken, Membership, UserAccount, UserRole};

use super::{fresh_uuid, name, now_micros, unique_suffix};

/// Builds an [`Organization`] without a slug, named `Acme` by default.
#[derive(Debug, Clone)]
pub struct OrganizationBuilder(Organization);

impl Default for OrganizationBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl OrganizationBuilder {
    /// Defaults: fresh id, now, name `Acme`, no slug, no scripts.
    #[must_use]
    pub fn new() -> Self {
        Self(Organization {
            id: OrganizationId::from_uuid(fresh_uuid()),
            created_at: now_micros(),
            name: name("Acme"),
            slug: None,
            pre_connect_script: None,
            post_connect_script: None,
            connect_script_is_sudo: false,
            pre_post_scripts_enabled: false,
        })
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, value: &str) -> Self {
        self.0.name = name(value);
        self
    }

    /// Sets the slug.
    #[must_use]
    pub fn slug(mut self, value: &str) -> Self {
        self.0.slug = Some(value.to_owned());
        self
    }

    /// Sets a unique slug (`org-<random>`).
    #[must_use]
    pub fn unique_slug(self) -> Self {
        let slug = format!("org-{}", unique_suffix());
        self.slug(&slug)
    }

    /// Sets the creation time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// The organization.
    #[must_use]
    pub fn build(self) -> Organization {
        self.0
    }
}

/// Builds a [`CustomerOrganization`] of a vendor organization.
#[derive(Debug, Clone)]
pub struct CustomerBuilder(CustomerOrganization);

impl CustomerBuilder {
    /// Defaults: fresh id, now, a unique name `Customer <random>`.
    #[must_use]
    pub fn new(org: OrganizationId) -> Self {
        Self(CustomerOrganization {
            id: CustomerOrganizationId::from_uuid(fresh_uuid()),
            organization_id: org,
            created_at: now_micros(),
            name: name(&format!("Customer {}", unique_suffix())),
        })
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, value: &str) -> Self {
        self.0.name = name(value);
        self
    }

    /// The customer.
    #[must_use]
    pub fn build(self) -> CustomerOrganization {
        self.0
    }
}

/// Builds a [`UserAccount`] with a unique e-mail and no password.
#[derive(Debug, Clone)]
pub struct UserBuilder(UserAccount);

impl Default for UserBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl UserBuilder {
    /// Defaults: fresh id, now, `user-<random>@example.com`, name `Test User`.
    ///
    /// # Panics
    /// Never: the generated address is valid.
    #[must_use]
    pub fn new() -> Self {
        let email =
            Email::parse(&format!("user-{}@example.com", unique_suffix())).expect("valid e-mail");
        Self(UserAccount {
            id: UserAccountId::from_uuid(fresh_uuid()),
            created_at: now_micros(),
            email,
            name: name("Test User"),
            password_hash: None,
            password_changed_at: None,
            last_logged_in_at: None,
            last_used_organization_id: None,
        })
    }

    /// Sets the e-mail (lowercased by [`Email::parse`]).
    ///
    /// # Panics
    /// When `value` is not an e-mail address.
    #[must_use]
    pub fn email(mut self, value: &str) -> Self {
        self.0.email = Email::parse(value).expect("valid test e-mail");
        self
    }

    /// Sets the display name.
    #[must_use]
    pub fn name(mut self, value: &str) -> Self {
        self.0.name = Name::parse("name", value).expect("valid test name");
        self
    }

    /// Sets the password hash (a PHC string) and its change time.
    #[must_use]
    pub fn password_hash(mut self, phc: &str, changed_at: DateTime<Utc>) -> Self {
        self.0.password_hash = Some(phc.to_owned());
        self.0.password_changed_at = Some(changed_at);
        self
    }

    /// The user.
    #[must_use]
    pub fn build(self) -> UserAccount {
        self.0
    }
}

/// Builds a [`Membership`] (vendor `read_write` by default).
#[derive(Debug, Clone)]
pub struct MembershipBuilder(Membership);

impl MembershipBuilder {
    /// Defaults: role `read_write`, vendor member, now.
    #[must_use]
    pub fn new(org: OrganizationId, user: UserAccountId) -> Self {
        Self(Membership {
            organization_id: org,
            user_account_id: user,
            user_role: UserRole::ReadWrite,
            customer_organization_id: None,
            created_at: now_micros(),
        })
    }

    /// Sets the role.
    #[must_use]
    pub fn role(mut self, role: UserRole) -> Self {
        self.0.user_role = role;
        self
    }

    /// Makes it a member of `customer`.
    #[must_use]
    pub fn customer(mut self, customer: CustomerOrganizationId) -> Self {
        self.0.customer_organization_id = Some(customer);
        self
    }

    /// Sets the join time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// The membership.
    #[must_use]
    pub fn build(self) -> Membership {
        self.0
    }
}

/// Builds an [`AccessToken`] with a random key hash.
#[derive(Debug, Clone)]
pub struct AccessTokenBuilder(AccessToken);

impl AccessTokenBuilder {
    /// Defaults: fresh id, now, label `test`, no expiry, random 32-byte hash.
    #[must_use]
    pub fn new(org: OrganizationId, user: UserAccountId) -> Self {
        let mut key_hash = [0_u8; 32];
        let (first, second) = key_hash.split_at_mut(16);
        first.copy_from_slice(fresh_uuid().as_bytes());
        second.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        Self(AccessToken {
            id: AccessTokenId::from_uuid(fresh_uuid()),
            created_at: now_micros(),
            user_account_id: user,
            organization_id: org,
            label: "test".to_owned(),
            expires_at: None,
            last_used_at: None,
            key_hash,
            key_hint: "abcd".to_owned(),
        })
    }

    /// Sets the key hash.
    #[must_use]
    pub fn key_hash(mut self, hash: [u8; 32]) -> Self {
        self.0.key_hash = hash;
        self
    }

    /// Sets the creation time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// Sets the expiry.
    #[must_use]
    pub fn expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.expires_at = Some(at);
        self
    }

    /// The token.
    #[must_use]
    pub fn build(self) -> AccessToken {
        self.0
    }
}
