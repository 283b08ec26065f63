//! Opening a store from a database URL.

use std::path::Path;
use std::sync::Arc;

use diesel::ConnectionError;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};

use crate::counter::StatementCounter;
use crate::pool::{PgConn, Pools, SqliteConn};

/// Pragmas set on every SQLite connection (HS §6.1). The busy timeout comes
/// first so that switching to WAL waits for other processes.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                              PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

/// A SQL-backed [`distr_ports::Store`]. Cheap to clone: clones share the pool.
#[derive(Clone, Debug)]
pub struct SqlStore {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) pools: Pools,
    /// Serializes writers on SQLite (unused on Postgres).
    pub(crate) write_lock: tokio::sync::Mutex<()>,
}

/// The database behind a [`SqlStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (single replica).
    Sqlite,
    /// PostgreSQL (any number of replicas).
    Postgres,
}

/// Pool settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenOptions {
    /// Most connections the pool opens (at least 1; in-memory SQLite always uses 1).
    pub max_connections: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
        }
    }
}

/// Why a store could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum SqlStoreError {
    /// The URL is not `sqlite:…`, `postgres://…` or `postgresql://…`.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    /// Applying or reading migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(String),
}

/// Where a URL points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    SqliteMemory,
    SqliteFile(String),
    Postgres(String),
}

fn parse_url(url: &str) -> Result<Target, SqlStoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres(url.to_owned()));
    }
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Err(SqlStoreError::InvalidUrl(redact_url(url)));
    };
    if rest == ":memory:" || rest == "//:memory:" {
        return Ok(Target::SqliteMemory);
    }
    // `sqlite://x.db` is relative, `sqlite:///abs/x.db` absolute; a query
    // string (e.g. `?mode=rwc` from other tools) is ignored.
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return Err(SqlStoreError::InvalidUrl(redact_url(url)));
    }
    Ok(Target::SqliteFile(path.to_owned()))
}

/// The URL without credentials, for error messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}

impl SqlStore {
    /// Opens a pool on `url`: `sqlite://distr.db` (relative path),
    /// `sqlite:///abs/x.db`, `sqlite::memory:` (tests), or
    /// `postgres://…`/`postgresql://…`. A missing SQLite file (and its
    /// directory) is created. Does not migrate; call [`SqlStore::migrate`].
    ///
    /// # Errors
    /// `InvalidUrl` for an unsupported URL, `Connect` when no connection can be made.
    pub async fn open(url: &str, opts: OpenOptions) -> Result<Self, SqlStoreError> {
        Self::open_with(url, opts, None).await
    }

    /// As [`SqlStore::open`], counting every statement run on the pool's
    /// connections in `counter` (tests and benchmarks).
    ///
    /// # Errors
    /// As [`SqlStore::open`].
    pub async fn open_counting(
        url: &str,
        opts: OpenOptions,
        counter: &StatementCounter,
    ) -> Result<Self, SqlStoreError> {
        Self::open_with(url, opts, Some(counter.clone())).await
    }

    async fn open_with(
        url: &str,
        opts: OpenOptions,
        counter: Option<StatementCounter>,
    ) -> Result<Self, SqlStoreError> {
        let max = usize::try_from(opts.max_connections.max(1)).unwrap_or(1);
        let pools = match parse_url(url)? {
            Target::SqliteMemory => Pools::Sqlite(sqlite_pool(":memory:", 1, counter)?),
            Target::SqliteFile(path) => {
                if let Some(dir) = Path::new(&path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        SqlStoreError::Connect(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
                Pools::Sqlite(sqlite_pool(&path, max, counter)?)
            }
            Target::Postgres(url) => {
                let mut config = ManagerConfig::<PgConn>::default();
                config.recycling_method = RecyclingMethod::Fast;
                if let Some(counter) = counter {
                    config.custom_setup = Box::new(move |url| {
                        let counter = counter.clone();
                        Box::pin(async move {
                            let mut conn = PgConn::establish(url).await?;
                            conn.set_instrumentation(counter.instrumentation());
                            Ok(conn)
                        })
                    });
                }
                let manager = AsyncDieselConnectionManager::<PgConn>::new_with_config(url, config);
                Pools::Postgres(
                    Pool::builder(manager)
                        .max_size(max)
                        .build()
                        .map_err(|e| SqlStoreError::Connect(e.to_string()))?,
                )
            }
        };
        // Open one connection now so a bad path or server fails at startup.
        let check = match &pools {
            Pools::Sqlite(pool) => pool.get().await.map(drop),
            Pools::Postgres(pool) => pool.get().await.map(drop),
        };
        check.map_err(|e| SqlStoreError::Connect(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                pools,
                write_lock: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The backend this store talks to.
    #[must_use]
    pub fn backend(&self) -> Backend {
        match self.inner.pools {
            Pools::Sqlite(_) => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// The connection pool's current counts (for the Hub's metrics).
    #[must_use]
    pub fn pool_status(&self) -> PoolStatus {
        let status = match &self.inner.pools {
            Pools::Sqlite(pool) => pool.status(),
            Pools::Postgres(pool) => pool.status(),
        };
        PoolStatus {
            max: status.max_size,
            idle: status.available,
            in_use: status.size.saturating_sub(status.available),
            waiting: status.waiting,
        }
    }
}

/// Connection counts of a store's pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// The most connections the pool opens.
    pub max: usize,
    /// Open connections not checked out.
    pub idle: usize,
    /// Connections checked out by a query.
    pub in_use: usize,
    /// Callers waiting for a connection.
    pub waiting: usize,
}

fn sqlite_pool(
    path: &str,
    max: usize,
    counter: Option<StatementCounter>,
) -> Result<Pool<SqliteConn>, SqlStoreError> {
    let mut config = ManagerConfig::<SqliteConn>::default();
    // Broken connections are still discarded; `Fast` only skips the
    // `SELECT 1` round trip on every checkout.
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(move |url| {
        let counter = counter.clone();
        Box::pin(async move {
            let mut conn = SqliteConn::establish(url).await?;
            conn.batch_execute(SQLITE_PRAGMAS)
                .await
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
            if let Some(counter) = counter {
                conn.set_instrumentation(counter.instrumentation());
            }
            Ok(conn)
        })
    });
    let manager = AsyncDieselConnectionManager::<SqliteConn>::new_with_config(path, config);
    Pool::builder(manager)
        .max_size(max)
        .build()
        .map_err(|e| SqlStoreError::Connect(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_relative_absolute_and_memory_databases() {
        assert_eq!(
            parse_url("sqlite://distr.db").unwrap(),
            Target::SqliteFile("distr.db".into())
        );
        assert_eq!(
            parse_url("sqlite:///abs/x.db").unwrap(),
            Target::SqliteFile("/abs/x.db".into())
        );
        assert_eq!(parse_url("sqlite::memory:").unwrap(), Target::SqliteMemory);
    }

    #[test]
    fn postgres_urls_are_kept_whole() {
        let url = "postgresql://u:p@h:5432/db";
        assert_eq!(parse_url(url).unwrap(), Target::Postgres(url.into()));
    }

    #[test]
    fn unknown_schemes_are_rejected_without_leaking_passwords() {
        let err = parse_url("mysql://root:hunter2@h/db").unwrap_err();
        assert!(matches!(err, SqlStoreError::InvalidUrl(_)));
        assert!(!err.to_string().contains("hunter2"));
    }
}
