//! Connection pools and the macros that stamp query code for both backends.

use diesel::SqliteConnection;
use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;

/// An async SQLite connection (a blocking connection on tokio's blocking pool).
pub(crate) type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// An async Postgres connection.
pub(crate) type PgConn = AsyncPgConnection;

/// The pool of the configured backend.
pub(crate) enum Pools {
    /// SQLite file or memory database.
    Sqlite(Pool<SqliteConn>),
    /// PostgreSQL.
    Postgres(Pool<PgConn>),
}

impl std::fmt::Debug for Pools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(pool) => f.debug_tuple("Sqlite").field(&pool.status()).finish(),
            Self::Postgres(pool) => f.debug_tuple("Postgres").field(&pool.status()).finish(),
        }
    }
}

/// Runs `$body` (a block evaluating to `Result<T, Fail>`, free to use `?` on
/// diesel results) with `$conn` bound to a pooled connection of whichever
/// backend the store uses, and converts the error into `StoreError`.
///
/// The body is compiled once per backend, so it must only use query DSL both
/// backends support.
macro_rules! with_conn {
    ($store:expr, |$conn:ident| $body:block) => {
        with_conn!(@run $store, false, |$conn| $body)
    };
    (@run $store:expr, $write:expr, |$conn:ident| $body:block) => {
        match &$store.inner.pools {
            $crate::pool::Pools::Sqlite(pool) => {
                let result: ::core::result::Result<_, $crate::error::Fail> = async {
                    // SQLite has one writer; queueing in-process writers here
                    // avoids SQLITE_BUSY on lock upgrades inside transactions.
                    let _guard = if $write { Some($store.inner.write_lock.lock().await) } else { None };
                    let mut object = pool.get().await?;
                    let $conn: &mut $crate::pool::SqliteConn = &mut object;
                    $body
                }
                .await;
                result.map_err(::distr_ports::StoreError::from)
            }
            $crate::pool::Pools::Postgres(pool) => {
                let result: ::core::result::Result<_, $crate::error::Fail> = async {
                    let mut object = pool.get().await?;
                    let $conn: &mut $crate::pool::PgConn = &mut object;
                    $body
                }
                .await;
                result.map_err(::distr_ports::StoreError::from)
            }
        }
    };
}

/// Like `with_conn!`, for bodies that write: on SQLite it first takes the
/// store's writer lock.
macro_rules! with_write {
    ($store:expr, |$conn:ident| $body:block) => {
        with_conn!(@run $store, true, |$conn| $body)
    };
}
