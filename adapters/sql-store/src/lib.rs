//! `distr-sql-store`: the [`distr_ports::Store`] adapters on SQL databases.
//!
//! SQLite (embedded, the default) and PostgreSQL share one `diesel` schema of
//! portable column types and one body of query code, stamped for each
//! connection type by the `with_conn!`/`with_write!` macros. Row types stay
//! private; only domain types cross the crate edge.

#[macro_use]
mod pool;

mod changes;
mod convert;
mod counter;
mod dialect;
mod error;
mod migrate;
mod open;
mod schema;
mod store;

pub use changes::PgChangeFeed;
pub use counter::StatementCounter;
pub use open::{Backend, OpenOptions, PoolStatus, SqlStore, SqlStoreError};
