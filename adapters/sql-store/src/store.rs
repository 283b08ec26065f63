//! The port implementations, one module per aggregate.

mod access_tokens;
mod agent_versions;
mod applications;
mod customers;
mod deployments;
mod fleet;
mod heartbeat;
mod organizations;
mod paging;
mod retention;
mod secrets;
mod settings;
mod statuses;
mod targets;
mod telemetry;
mod users;

use async_trait::async_trait;
use diesel_async::RunQueryDsl;
use distr_ports::{Store, StoreError};

use crate::open::SqlStore;

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> Result<(), StoreError> {
        with_conn!(self, |conn| {
            diesel::sql_query("SELECT 1").execute(conn).await?;
            Ok(())
        })
    }
}
