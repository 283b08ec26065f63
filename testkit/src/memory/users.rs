use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::ids::{OrganizationId, UserAccountId};
use distr_domain::names::Email;
use distr_domain::user::{Membership, UserAccount, UserRole};
use distr_ports::StoreError;
use distr_ports::store::UserStore;

use super::{MemoryStore, State, conflict};

/// Whether `user` is the only vendor admin of `org`.
fn is_last_vendor_admin(s: &State, org: OrganizationId, user: UserAccountId) -> bool {
    let mut admins = s.memberships.values().filter(|m| {
        m.organization_id == org
            && m.user_role == UserRole::Admin
            && m.customer_organization_id.is_none()
    });
    admins.all(|m| m.user_account_id == user)
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn create_user(&self, user: &UserAccount) -> Result<(), StoreError> {
        self.write(|s| {
            if s.users.contains_key(&user.id) {
                return Err(conflict("user id"));
            }
            if s.users.values().any(|u| u.email == user.email) {
                return Err(conflict("user email"));
            }
            s.users.insert(user.id, user.clone());
            Ok(())
        })
    }

    async fn get_user(&self, id: UserAccountId) -> Result<UserAccount, StoreError> {
        self.read(|s| s.users.get(&id).cloned().ok_or(StoreError::NotFound))
    }

    async fn find_user_by_email(&self, email: &Email) -> Result<Option<UserAccount>, StoreError> {
        self.read(|s| Ok(s.users.values().find(|u| &u.email == email).cloned()))
    }

    async fn update_user(&self, user: &UserAccount) -> Result<(), StoreError> {
        self.write(|s| {
            let stored = s.users.get_mut(&user.id).ok_or(StoreError::NotFound)?;
            stored.name = user.name.clone();
            stored.password_hash = user.password_hash.clone();
            stored.password_changed_at = user.password_changed_at;
            stored.last_logged_in_at = user.last_logged_in_at;
            stored.last_used_organization_id = user.last_used_organization_id;
            Ok(())
        })
    }

    async fn create_membership(&self, membership: &Membership) -> Result<(), StoreError> {
        self.write(|s| {
            let key = (membership.organization_id, membership.user_account_id);
            if s.memberships.contains_key(&key) {
                return Err(conflict("membership"));
            }
            s.memberships.insert(key, membership.clone());
            Ok(())
        })
    }

    async fn get_membership(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<Option<Membership>, StoreError> {
        self.read(|s| Ok(s.memberships.get(&(org, user)).cloned()))
    }

    async fn list_memberships_of_user(
        &self,
        user: UserAccountId,
    ) -> Result<Vec<Membership>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<Membership> = s
                .memberships
                .values()
                .filter(|m| m.user_account_id == user)
                .cloned()
                .collect();
            rows.sort_by_key(|m| (m.created_at, m.organization_id));
            Ok(rows)
        })
    }

    async fn list_memberships_of_organization(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<Membership>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<Membership> = s
                .memberships
                .values()
                .filter(|m| m.organization_id == org)
                .cloned()
                .collect();
            rows.sort_by_key(|m| (m.created_at, m.user_account_id));
            Ok(rows)
        })
    }

    async fn list_members_of_organization(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<(Membership, UserAccount)>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<(Membership, UserAccount)> = s
                .memberships
                .values()
                .filter(|m| m.organization_id == org)
                .filter_map(|m| {
                    s.users
                        .get(&m.user_account_id)
                        .map(|u| (m.clone(), u.clone()))
                })
                .collect();
            rows.sort_by_key(|(m, _)| (m.created_at, m.user_account_id));
            Ok(rows)
        })
    }

    async fn set_password_if_unchanged(
        &self,
        user: &UserAccount,
        previous_change: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        self.write(|s| {
            let Some(stored) = s.users.get_mut(&user.id) else {
                return Ok(false);
            };
            if stored.password_changed_at != previous_change {
                return Ok(false);
            }
            stored.name = user.name.clone();
            stored.password_hash.clone_from(&user.password_hash);
            stored.password_changed_at = user.password_changed_at;
            Ok(true)
        })
    }

    async fn record_login(
        &self,
        user: UserAccountId,
        org: OrganizationId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            let stored = s.users.get_mut(&user).ok_or(StoreError::NotFound)?;
            stored.last_logged_in_at = Some(at);
            stored.last_used_organization_id = Some(org);
            Ok(())
        })
    }

    async fn update_membership_role(
        &self,
        org: OrganizationId,
        user: UserAccountId,
        role: UserRole,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            let current = s
                .memberships
                .get(&(org, user))
                .ok_or(StoreError::NotFound)?;
            let demotes_admin = current.user_role == UserRole::Admin
                && current.customer_organization_id.is_none()
                && role != UserRole::Admin;
            if demotes_admin && is_last_vendor_admin(s, org, user) {
                return Err(StoreError::LastAdmin);
            }
            if let Some(stored) = s.memberships.get_mut(&(org, user)) {
                stored.user_role = role;
            }
            Ok(())
        })
    }

    async fn delete_membership(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            let current = s
                .memberships
                .get(&(org, user))
                .ok_or(StoreError::NotFound)?;
            let is_vendor_admin =
                current.user_role == UserRole::Admin && current.customer_organization_id.is_none();
            if is_vendor_admin && is_last_vendor_admin(s, org, user) {
                return Err(StoreError::LastAdmin);
            }
            s.memberships.remove(&(org, user));
            s.access_tokens
                .retain(|_, t| !(t.organization_id == org && t.user_account_id == user));
            Ok(())
        })
    }
}
