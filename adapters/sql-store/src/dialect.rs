//! The few statements that differ between the backends, behind one trait
//! implemented for each connection type so shared query code can call them.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::error::Fail;
use crate::pool::{PgConn, SqliteConn};
use crate::schema::deployment_revisions as r;
use crate::schema::memberships as m;

/// The stored name of the admin role.
const ADMIN: &str = distr_domain::user::UserRole::Admin.as_str();

/// Backend-specific statements.
#[async_trait]
pub(crate) trait Dialect {
    /// Inside a transaction: checks the revision exists and, on Postgres,
    /// locks its row until commit so concurrent status reports on one
    /// revision coalesce instead of racing. SQLite needs no row lock: the
    /// store's writer lock already serializes writers.
    async fn lock_revision(&mut self, revision: &str) -> Result<bool, Fail>;

    /// Inside a transaction: the user ids of the organization's vendor
    /// admins, locked on Postgres until commit so concurrent demotions or
    /// removals of admins serialize (SQLite's writer lock already does).
    async fn lock_vendor_admins(&mut self, org: &str) -> Result<Vec<String>, Fail>;
}

#[async_trait]
impl Dialect for PgConn {
    async fn lock_revision(&mut self, revision: &str) -> Result<bool, Fail> {
        // NO KEY UPDATE does not block inserts of rows referencing the revision.
        let found: Option<String> = r::table
            .find(revision)
            .select(r::id)
            .for_no_key_update()
            .first(self)
            .await
            .optional()?;
        Ok(found.is_some())
    }

    async fn lock_vendor_admins(&mut self, org: &str) -> Result<Vec<String>, Fail> {
        Ok(m::table
            .filter(m::organization_id.eq(org))
            .filter(m::user_role.eq(ADMIN))
            .filter(m::customer_organization_id.is_null())
            .select(m::user_account_id)
            .for_update()
            .load(self)
            .await?)
    }
}

#[async_trait]
impl Dialect for SqliteConn {
    async fn lock_revision(&mut self, revision: &str) -> Result<bool, Fail> {
        let found: Option<String> = r::table
            .find(revision)
            .select(r::id)
            .first(self)
            .await
            .optional()?;
        Ok(found.is_some())
    }

    async fn lock_vendor_admins(&mut self, org: &str) -> Result<Vec<String>, Fail> {
        Ok(m::table
            .filter(m::organization_id.eq(org))
            .filter(m::user_role.eq(ADMIN))
            .filter(m::customer_organization_id.is_null())
            .select(m::user_account_id)
            .load(self)
            .await?)
    }
}
