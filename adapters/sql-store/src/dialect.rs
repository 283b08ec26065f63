//! The few statements that differ between the backends, behind one trait
//! implemented for each connection type so shared query code can call them.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::error::Fail;
use crate::pool::{PgConn, SqliteConn};
use crate::schema::deployment_revisions as r;

/// Backend-specific statements.
#[async_trait]
pub(crate) trait Dialect {
    /// Inside a transaction: checks the revision exists and, on Postgres,
    /// locks its row until commit so concurrent status reports on one
    /// revision coalesce instead of racing. SQLite needs no row lock: the
    /// store's writer lock already serializes writers.
    async fn lock_revision(&mut self, revision: &str) -> Result<bool, Fail>;
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
}
