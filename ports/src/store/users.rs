use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::ids::{OrganizationId, UserAccountId};
use distr_domain::names::Email;
use distr_domain::user::{Membership, UserAccount, UserRole};

use super::StoreError;

/// User accounts and memberships.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts a user.
    ///
    /// # Errors
    /// MUST return `Conflict` when the e-mail is taken.
    async fn create_user(&self, user: &UserAccount) -> Result<(), StoreError>;

    /// Reads a user by id.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id.
    async fn get_user(&self, id: UserAccountId) -> Result<UserAccount, StoreError>;

    /// Finds a user by (lowercased) e-mail; `None` when absent.
    async fn find_user_by_email(&self, email: &Email) -> Result<Option<UserAccount>, StoreError>;

    /// Replaces the mutable fields of a user (name, password hash and its
    /// change time, last login, last used organization).
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id.
    async fn update_user(&self, user: &UserAccount) -> Result<(), StoreError>;

    /// Inserts a membership.
    ///
    /// # Errors
    /// MUST return `Conflict` when the user is already a member of the organization.
    async fn create_membership(&self, membership: &Membership) -> Result<(), StoreError>;

    /// The membership of `user` in `org`, if any.
    async fn get_membership(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<Option<Membership>, StoreError>;

    /// All memberships of a user, oldest first.
    async fn list_memberships_of_user(
        &self,
        user: UserAccountId,
    ) -> Result<Vec<Membership>, StoreError>;

    /// All memberships of an organization, oldest first.
    async fn list_memberships_of_organization(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<Membership>, StoreError>;

    /// All memberships of an organization with their accounts, oldest
    /// membership first, in one statement (HS §6.1: no query per member).
    async fn list_members_of_organization(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<(Membership, UserAccount)>, StoreError>;

    /// Replaces the name, password hash and password change time of `user.id`
    /// with those of `user`, only while the stored `password_changed_at` still
    /// equals `previous_change`: a compare-and-set, so of any number of racing
    /// uses of one invite or reset link exactly one sets the password.
    /// Returns whether the row changed (`false` for an unknown user too).
    /// `user.password_changed_at` MUST differ from `previous_change`.
    async fn set_password_if_unchanged(
        &self,
        user: &UserAccount,
        previous_change: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError>;

    /// Records a successful login at `at` in `org`.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown user.
    async fn record_login(
        &self,
        user: UserAccountId,
        org: OrganizationId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Changes the role of `user` in `org`, keeping its customer.
    ///
    /// # Errors
    /// MUST return `NotFound` when `user` is not a member of `org`, and
    /// `LastAdmin` (changing nothing) when the change would leave `org`
    /// without a vendor admin. The check and the change MUST be atomic, so two
    /// concurrent demotions cannot remove the last two admins.
    async fn update_membership_role(
        &self,
        org: OrganizationId,
        user: UserAccountId,
        role: UserRole,
    ) -> Result<(), StoreError>;

    /// Removes the membership of `user` in `org` together with the user's
    /// access tokens in `org`; the account and its other memberships stay.
    ///
    /// # Errors
    /// MUST return `NotFound` when `user` is not a member of `org`, and
    /// `LastAdmin` (changing nothing) when it is the last vendor admin of
    /// `org`. Check, removal and token deletion MUST be atomic.
    async fn delete_membership(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<(), StoreError>;
}
