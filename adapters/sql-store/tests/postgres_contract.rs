//! The store contract suite, and migration behaviour, on PostgreSQL (a
//! throwaway cluster from `distr-testkit`, one database per test).

use std::sync::Arc;

use distr_sql_store::{Backend, OpenOptions, SqlStore};
use distr_testkit::contract::StoreFixture;
use distr_testkit::postgres::PgCluster;

async fn fresh_database() -> String {
    PgCluster::shared()
        .expect("start PostgreSQL")
        .create_database()
        .await
        .expect("create database")
}

/// A migrated store on a fresh database.
async fn open_postgres() -> StoreFixture {
    let url = fresh_database().await;
    let store = SqlStore::open(&url, OpenOptions { max_connections: 4 })
        .await
        .expect("open postgres");
    store.migrate().await.expect("migrate postgres");
    StoreFixture::new(Arc::new(store))
}

mod postgres {
    distr_testkit::store_contract_tests!(super::open_postgres);
}

#[tokio::test]
async fn postgres_migrations_are_idempotent() {
    let store = SqlStore::open(&fresh_database().await, OpenOptions::default())
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    assert!(!store.migrate().await.unwrap().is_empty());
    assert!(store.migrate().await.unwrap().is_empty());
    assert!(
        store
            .migration_status()
            .await
            .unwrap()
            .iter()
            .all(|(_, applied)| *applied)
    );
}

#[tokio::test]
async fn two_concurrent_migrations_of_one_database_both_succeed() {
    let url = fresh_database().await;
    let a = SqlStore::open(&url, OpenOptions::default()).await.unwrap();
    let b = SqlStore::open(&url, OpenOptions::default()).await.unwrap();
    let (first, second) = tokio::join!(a.migrate(), b.migrate());
    let (first, second) = (first.unwrap(), second.unwrap());
    // The advisory lock lets exactly one of them apply the migrations.
    assert_eq!(
        first.len() + second.len(),
        a.migration_status().await.unwrap().len()
    );
    assert!(first.is_empty() || second.is_empty());
}

#[tokio::test]
async fn an_unreachable_server_fails_to_open() {
    let err = SqlStore::open("postgres://nobody@127.0.0.1:1/none", OpenOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, distr_sql_store::SqlStoreError::Connect(_)));
}

mod change_feed {
    use std::time::Duration;

    use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl as _};
    use distr_domain::ids::TargetId;
    use distr_ports::ChangeFeed as _;
    use distr_sql_store::{OpenOptions, PgChangeFeed, SqlStore};

    /// Bounds a wait that must end; a hang fails instead of blocking the suite.
    const GUARD: Duration = Duration::from_secs(20);

    async fn replica(url: &str) -> PgChangeFeed {
        let store = SqlStore::open(url, OpenOptions { max_connections: 2 })
            .await
            .unwrap();
        PgChangeFeed::start(url, store).await.unwrap()
    }

    #[tokio::test]
    async fn a_change_published_on_one_replica_reaches_subscribers_of_another() {
        let url = super::fresh_database().await;
        let (a, b) = (replica(&url).await, replica(&url).await);
        let mut on_b = b.subscribe();
        let mut on_a = a.subscribe();
        let target = TargetId::from_uuid(uuid::Uuid::now_v7());
        a.publish(target).await;
        let got = tokio::time::timeout(GUARD, on_b.next()).await.unwrap();
        assert_eq!(got, Some(target));
        let own = tokio::time::timeout(GUARD, on_a.next()).await.unwrap();
        assert_eq!(own, Some(target), "the publishing replica hears itself too");
    }

    #[tokio::test]
    async fn a_lost_listen_connection_wakes_everyone_and_reconnects() {
        let url = super::fresh_database().await;
        let (a, b) = (replica(&url).await, replica(&url).await);
        let mut on_b = b.subscribe();
        let mut admin = AsyncPgConnection::establish(&url).await.unwrap();
        // Only this test's database: the other change-feed tests run at the
        // same time on the same cluster, and a terminated LISTEN there wakes
        // their subscribers with the "everyone" id.
        diesel::sql_query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid() \
             AND datname = current_database()",
        )
        .execute(&mut admin)
        .await
        .unwrap();
        let woken = tokio::time::timeout(GUARD, on_b.next()).await.unwrap();
        assert_eq!(
            woken,
            Some(TargetId::nil()),
            "reconnecting wakes all waiters"
        );
        // Both replicas listen again: a later change still arrives.
        let target = TargetId::from_uuid(uuid::Uuid::now_v7());
        let delivered = tokio::time::timeout(GUARD, async {
            loop {
                a.publish(target).await;
                match tokio::time::timeout(Duration::from_millis(200), on_b.next()).await {
                    Ok(Some(t)) if t == target => return,
                    _ => {}
                }
            }
        })
        .await;
        assert!(delivered.is_ok(), "no delivery after the reconnect");
    }
}
