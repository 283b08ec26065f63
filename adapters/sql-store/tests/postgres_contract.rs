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
