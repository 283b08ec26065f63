use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection as _, RunQueryDsl};
use distr_domain::ids::{OrganizationId, UserAccountId};
use distr_domain::names::Email;
use distr_domain::user::{Membership, UserAccount, UserRole};
use distr_ports::StoreError;
use distr_ports::store::UserStore;

use crate::convert::{id, micros, name, opt_id, opt_micros, opt_text, opt_time, parse, time};
use crate::dialect::Dialect;
use crate::error::{Fail, corrupt, not_found_if_none};
use crate::open::SqlStore;
use crate::schema::{access_tokens, memberships, user_accounts};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = user_accounts)]
struct UserRow {
    id: String,
    created_at: i64,
    email: String,
    name: String,
    password_hash: Option<String>,
    password_changed_at: Option<i64>,
    last_logged_in_at: Option<i64>,
    last_used_organization_id: Option<String>,
}

impl From<&UserAccount> for UserRow {
    fn from(user: &UserAccount) -> Self {
        Self {
            id: user.id.to_string(),
            created_at: micros(user.created_at),
            email: user.email.as_str().to_owned(),
            name: user.name.as_str().to_owned(),
            password_hash: user.password_hash.clone(),
            password_changed_at: opt_micros(user.password_changed_at),
            last_logged_in_at: opt_micros(user.last_logged_in_at),
            last_used_organization_id: opt_text(user.last_used_organization_id),
        }
    }
}

impl TryFrom<UserRow> for UserAccount {
    type Error = Fail;
    fn try_from(row: UserRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            created_at: time(row.created_at)?,
            email: Email::parse(&row.email).map_err(corrupt)?,
            name: name(&row.name)?,
            password_hash: row.password_hash,
            password_changed_at: opt_time(row.password_changed_at)?,
            last_logged_in_at: opt_time(row.last_logged_in_at)?,
            last_used_organization_id: opt_id(row.last_used_organization_id.as_deref())?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
struct MembershipRow {
    organization_id: String,
    user_account_id: String,
    user_role: String,
    customer_organization_id: Option<String>,
    created_at: i64,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = Fail;
    fn try_from(row: MembershipRow) -> Result<Self, Fail> {
        Ok(Self {
            organization_id: id(&row.organization_id)?,
            user_account_id: id(&row.user_account_id)?,
            user_role: parse("user role", &row.user_role)?,
            customer_organization_id: opt_id(row.customer_organization_id.as_deref())?,
            created_at: time(row.created_at)?,
        })
    }
}

fn memberships_of(rows: Vec<MembershipRow>) -> Result<Vec<Membership>, Fail> {
    rows.into_iter().map(TryInto::try_into).collect()
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, user: &UserAccount) -> Result<(), StoreError> {
        let row = UserRow::from(user);
        with_write!(self, |conn| {
            diesel::insert_into(user_accounts::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn get_user(&self, user: UserAccountId) -> Result<UserAccount, StoreError> {
        let key = user.to_string();
        with_conn!(self, |conn| {
            let row: UserRow = user_accounts::table
                .find(&key)
                .select(UserRow::as_select())
                .first(conn)
                .await?;
            row.try_into()
        })
    }

    async fn find_user_by_email(&self, email: &Email) -> Result<Option<UserAccount>, StoreError> {
        with_conn!(self, |conn| {
            let row: Option<UserRow> = user_accounts::table
                .filter(user_accounts::email.eq(email.as_str()))
                .select(UserRow::as_select())
                .first(conn)
                .await
                .optional()?;
            row.map(TryInto::try_into).transpose()
        })
    }

    async fn update_user(&self, user: &UserAccount) -> Result<(), StoreError> {
        let row = UserRow::from(user);
        with_write!(self, |conn| {
            let updated = diesel::update(user_accounts::table.find(&row.id))
                .set((
                    user_accounts::name.eq(&row.name),
                    user_accounts::password_hash.eq(&row.password_hash),
                    user_accounts::password_changed_at.eq(row.password_changed_at),
                    user_accounts::last_logged_in_at.eq(row.last_logged_in_at),
                    user_accounts::last_used_organization_id.eq(&row.last_used_organization_id),
                ))
                .execute(conn)
                .await?;
            not_found_if_none(updated)
        })
    }

    async fn create_membership(&self, membership: &Membership) -> Result<(), StoreError> {
        let row = MembershipRow {
            organization_id: membership.organization_id.to_string(),
            user_account_id: membership.user_account_id.to_string(),
            user_role: membership.user_role.as_str().to_owned(),
            customer_organization_id: opt_text(membership.customer_organization_id),
            created_at: micros(membership.created_at),
        };
        with_write!(self, |conn| {
            diesel::insert_into(memberships::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn get_membership(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<Option<Membership>, StoreError> {
        let key = (org.to_string(), user.to_string());
        with_conn!(self, |conn| {
            let row: Option<MembershipRow> = memberships::table
                .find((&key.0, &key.1))
                .select(MembershipRow::as_select())
                .first(conn)
                .await
                .optional()?;
            row.map(TryInto::try_into).transpose()
        })
    }

    async fn list_memberships_of_user(
        &self,
        user: UserAccountId,
    ) -> Result<Vec<Membership>, StoreError> {
        let key = user.to_string();
        with_conn!(self, |conn| {
            let rows = memberships::table
                .filter(memberships::user_account_id.eq(&key))
                .select(MembershipRow::as_select())
                .order((
                    memberships::created_at.asc(),
                    memberships::organization_id.asc(),
                ))
                .load(conn)
                .await?;
            memberships_of(rows)
        })
    }

    async fn list_memberships_of_organization(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<Membership>, StoreError> {
        let key = org.to_string();
        with_conn!(self, |conn| {
            let rows = memberships::table
                .filter(memberships::organization_id.eq(&key))
                .select(MembershipRow::as_select())
                .order((
                    memberships::created_at.asc(),
                    memberships::user_account_id.asc(),
                ))
                .load(conn)
                .await?;
            memberships_of(rows)
        })
    }

    async fn list_members_of_organization(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<(Membership, UserAccount)>, StoreError> {
        let key = org.to_string();
        with_conn!(self, |conn| {
            let rows: Vec<(MembershipRow, UserRow)> = memberships::table
                .inner_join(user_accounts::table)
                .filter(memberships::organization_id.eq(&key))
                .select((MembershipRow::as_select(), UserRow::as_select()))
                .order((
                    memberships::created_at.asc(),
                    memberships::user_account_id.asc(),
                ))
                .load(conn)
                .await?;
            rows.into_iter()
                .map(|(m, u)| Ok((m.try_into()?, u.try_into()?)))
                .collect()
        })
    }

    async fn set_password_if_unchanged(
        &self,
        user: &UserAccount,
        previous_change: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let row = UserRow::from(user);
        let previous = opt_micros(previous_change);
        with_write!(self, |conn| {
            let one = user_accounts::table.find(&row.id);
            let changes = (
                user_accounts::name.eq(&row.name),
                user_accounts::password_hash.eq(&row.password_hash),
                user_accounts::password_changed_at.eq(row.password_changed_at),
            );
            // One UPDATE whose WHERE is the comparison: PostgreSQL re-checks
            // it after a concurrent writer commits, SQLite has one writer.
            let updated = match previous {
                Some(at) => {
                    diesel::update(one.filter(user_accounts::password_changed_at.eq(at)))
                        .set(changes)
                        .execute(conn)
                        .await?
                }
                None => {
                    diesel::update(one.filter(user_accounts::password_changed_at.is_null()))
                        .set(changes)
                        .execute(conn)
                        .await?
                }
            };
            Ok(updated == 1)
        })
    }

    async fn record_login(
        &self,
        user: UserAccountId,
        org: OrganizationId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (user, org) = (user.to_string(), org.to_string());
        with_write!(self, |conn| {
            let updated = diesel::update(user_accounts::table.find(&user))
                .set((
                    user_accounts::last_logged_in_at.eq(Some(micros(at))),
                    user_accounts::last_used_organization_id.eq(Some(&org)),
                ))
                .execute(conn)
                .await?;
            not_found_if_none(updated)
        })
    }

    async fn update_membership_role(
        &self,
        org: OrganizationId,
        user: UserAccountId,
        role: UserRole,
    ) -> Result<(), StoreError> {
        let (org, user) = (org.to_string(), user.to_string());
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                let admins = conn.lock_vendor_admins(&org).await?;
                let current: MembershipRow = memberships::table
                    .find((&org, &user))
                    .select(MembershipRow::as_select())
                    .first(conn)
                    .await?;
                if role != UserRole::Admin && is_last_admin(&admins, &current, &user) {
                    return Err(StoreError::LastAdmin.into());
                }
                diesel::update(memberships::table.find((&org, &user)))
                    .set(memberships::user_role.eq(role.as_str()))
                    .execute(conn)
                    .await?;
                Ok(())
            })
            .await
        })
    }

    async fn delete_membership(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<(), StoreError> {
        let (org, user) = (org.to_string(), user.to_string());
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                let admins = conn.lock_vendor_admins(&org).await?;
                let current: MembershipRow = memberships::table
                    .find((&org, &user))
                    .select(MembershipRow::as_select())
                    .first(conn)
                    .await?;
                if is_last_admin(&admins, &current, &user) {
                    return Err(StoreError::LastAdmin.into());
                }
                diesel::delete(
                    access_tokens::table
                        .filter(access_tokens::organization_id.eq(&org))
                        .filter(access_tokens::user_account_id.eq(&user)),
                )
                .execute(conn)
                .await?;
                diesel::delete(memberships::table.find((&org, &user)))
                    .execute(conn)
                    .await?;
                Ok(())
            })
            .await
        })
    }
}

/// Whether `user`, whose membership is `current`, is the only vendor admin
/// among `admins` (the organization's locked vendor admins).
fn is_last_admin(admins: &[String], current: &MembershipRow, user: &str) -> bool {
    current.customer_organization_id.is_none()
        && current.user_role == UserRole::Admin.as_str()
        && admins.iter().all(|admin| admin == user)
}
