//! Embedded migrations, applied under a lock.

use diesel::migration::{Migration, MigrationSource};
use diesel::pg::Pg;
use diesel::sqlite::Sqlite;
use diesel_async::{AsyncMigrationHarness, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::open::{SqlStore, SqlStoreError};
use crate::pool::Pools;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Key of the session-level advisory lock that serializes migrations of
/// concurrently starting replicas (HS §6.2). ASCII "DISTRMIG".
const MIGRATION_LOCK_KEY: i64 = 0x4449_5354_524D_4947;

fn migrate_err(e: impl std::fmt::Display) -> SqlStoreError {
    SqlStoreError::Migrate(e.to_string())
}

/// `(name, version)` of every embedded migration, oldest first.
fn known<DB: diesel::backend::Backend>(
    source: &EmbeddedMigrations,
) -> Result<Vec<(String, String)>, SqlStoreError>
where
    EmbeddedMigrations: MigrationSource<DB>,
{
    let migrations: Vec<Box<dyn Migration<DB>>> =
        MigrationSource::<DB>::migrations(source).map_err(migrate_err)?;
    Ok(migrations
        .iter()
        .map(|m| (m.name().to_string(), m.name().version().to_string()))
        .collect())
}

/// Names of the migrations whose version is in `versions`, in `known` order.
fn names_of(known: &[(String, String)], versions: &[String]) -> Vec<String> {
    known
        .iter()
        .filter(|(_, v)| versions.contains(v))
        .map(|(n, _)| n.clone())
        .collect()
}

impl SqlStore {
    /// Applies pending migrations and returns the names of those applied
    /// now (empty when the schema is current). Safe to call concurrently,
    /// from several processes too: Postgres serializes callers with an
    /// advisory lock, SQLite with its write lock.
    ///
    /// # Errors
    /// `Migrate` when a migration fails or the database is unreachable.
    pub async fn migrate(&self) -> Result<Vec<String>, SqlStoreError> {
        match &self.inner.pools {
            Pools::Sqlite(pool) => {
                let _guard = self.inner.write_lock.lock().await;
                let conn = pool.get().await.map_err(migrate_err)?;
                let known = known::<Sqlite>(&SQLITE_MIGRATIONS)?;
                let applied = tokio::task::spawn_blocking(move || {
                    // The harness blocks on the async connection, which is
                    // only allowed off the async worker threads.
                    let mut harness = AsyncMigrationHarness::new(conn);
                    harness
                        .run_pending_migrations(SQLITE_MIGRATIONS)
                        .map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>())
                        .map_err(migrate_err)
                })
                .await
                .map_err(migrate_err)??;
                Ok(names_of(&known, &applied))
            }
            Pools::Postgres(pool) => {
                let mut conn = pool.get().await.map_err(migrate_err)?;
                diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                    .execute(&mut conn)
                    .await
                    .map_err(migrate_err)?;
                let known = known::<Pg>(&POSTGRES_MIGRATIONS)?;
                let (mut conn, applied) = tokio::task::spawn_blocking(move || {
                    let mut harness = AsyncMigrationHarness::new(conn);
                    let applied = harness
                        .run_pending_migrations(POSTGRES_MIGRATIONS)
                        .map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>())
                        .map_err(migrate_err);
                    (harness.into_inner(), applied)
                })
                .await
                .map_err(migrate_err)?;
                // Unlock even after a failed migration; the connection goes back to the pool.
                diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                    .execute(&mut conn)
                    .await
                    .map_err(migrate_err)?;
                Ok(names_of(&known, &applied?))
            }
        }
    }

    /// Every embedded migration, oldest first, with whether it is applied.
    ///
    /// # Errors
    /// `Migrate` when the migration table cannot be read.
    pub async fn migration_status(&self) -> Result<Vec<(String, bool)>, SqlStoreError> {
        let (known, applied) = match &self.inner.pools {
            Pools::Sqlite(pool) => {
                let conn = pool.get().await.map_err(migrate_err)?;
                let known = known::<Sqlite>(&SQLITE_MIGRATIONS)?;
                let applied = tokio::task::spawn_blocking(move || {
                    let mut harness = AsyncMigrationHarness::new(conn);
                    harness.applied_migrations().map_err(migrate_err)
                })
                .await
                .map_err(migrate_err)??;
                (
                    known,
                    applied.iter().map(ToString::to_string).collect::<Vec<_>>(),
                )
            }
            Pools::Postgres(pool) => {
                let conn = pool.get().await.map_err(migrate_err)?;
                let known = known::<Pg>(&POSTGRES_MIGRATIONS)?;
                let applied = tokio::task::spawn_blocking(move || {
                    let mut harness = AsyncMigrationHarness::new(conn);
                    harness.applied_migrations().map_err(migrate_err)
                })
                .await
                .map_err(migrate_err)??;
                (
                    known,
                    applied.iter().map(ToString::to_string).collect::<Vec<_>>(),
                )
            }
        };
        Ok(known
            .into_iter()
            .map(|(name, version)| (name, applied.contains(&version)))
            .collect())
    }
}
