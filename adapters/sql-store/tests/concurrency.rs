//! Concurrency behaviour specific to the SQL adapters: many writers at once
//! on one SQLite file (one or two processes' worth of pools), and
//! coalescing that must hold when replicas race on Postgres.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use distr_domain::deployment::StatusType;
use distr_domain::ids::StatusId;
use distr_ports::Store;
use distr_ports::store::{
    HeartbeatOutcome, OrganizationStore, PageRequest, StatusStore, TargetStore,
};
use distr_sql_store::{OpenOptions, SqlStore};
use distr_testkit::builders::OrganizationBuilder;
use distr_testkit::contract::seed;
use distr_testkit::postgres::PgCluster;
use uuid::Uuid;

const TASKS: usize = 16;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + seconds, 0).expect("valid time")
}

async fn sqlite_file(dir: &tempfile::TempDir) -> SqlStore {
    let url = format!("sqlite://{}", dir.path().join("distr.db").display());
    let store = SqlStore::open(&url, OpenOptions { max_connections: 4 })
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate");
    store
}

/// `replicas` stores (separate pools) on one fresh database.
async fn postgres(replicas: usize) -> Vec<SqlStore> {
    let url = PgCluster::shared()
        .expect("start PostgreSQL")
        .create_database()
        .await
        .expect("database");
    let mut stores = Vec::new();
    for _ in 0..replicas {
        let store = SqlStore::open(&url, OpenOptions { max_connections: 8 })
            .await
            .expect("open postgres");
        store.migrate().await.expect("migrate");
        stores.push(store);
    }
    stores
}

/// Identical reports racing on one revision leave exactly one record.
async fn racing_identical_status_reports_coalesce(stores: &[SqlStore]) {
    let seeded = seed::deployment(&stores[0]).await;
    let mut tasks = Vec::new();
    for i in 0..TASKS {
        let store = stores[i % stores.len()].clone();
        let revision = seeded.revision.id;
        tasks.push(tokio::spawn(async move {
            let id = StatusId::from_uuid(Uuid::now_v7());
            store
                .record_status(id, revision, StatusType::Running, "up", at(0))
                .await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("record status");
    }
    let records = stores[0]
        .list_statuses(seeded.deployment.id, PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(
        records.len(),
        1,
        "identical racing reports must coalesce: {records:?}"
    );
}

/// A new heartbeat message reported by racing polls is recorded once.
async fn racing_heartbeats_record_one_message_change(stores: &[SqlStore]) {
    let org = seed::organization(&stores[0]).await;
    let target = seed::target(&stores[0], org.id, "racing").await;
    let mut tasks = Vec::new();
    for i in 0..TASKS {
        let store = stores[i % stores.len()].clone();
        tasks.push(tokio::spawn(async move {
            store.record_heartbeat(target.id, at(0), "OK").await
        }));
    }
    let mut changes = 0;
    for task in tasks {
        if task.await.expect("task").expect("heartbeat") == HeartbeatOutcome::MessageChanged {
            changes += 1;
        }
    }
    assert_eq!(changes, 1);
}

/// Many concurrent single-row writers all succeed (no busy/locked errors).
async fn concurrent_writers_all_succeed(stores: &[SqlStore]) {
    let before = stores[0].count_organizations().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..TASKS * 2 {
        let store = stores[i % stores.len()].clone();
        tasks.push(tokio::spawn(async move {
            let store: Arc<dyn Store> = Arc::new(store);
            store
                .create_organization(&OrganizationBuilder::new().unique_slug().build())
                .await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("create organization");
    }
    assert_eq!(
        stores[0].count_organizations().await.unwrap(),
        before + u64::try_from(TASKS * 2).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_racing_identical_status_reports_coalesce() {
    let dir = tempfile::tempdir().unwrap();
    racing_identical_status_reports_coalesce(&[sqlite_file(&dir).await]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_racing_heartbeats_record_one_message_change() {
    let dir = tempfile::tempdir().unwrap();
    racing_heartbeats_record_one_message_change(&[sqlite_file(&dir).await]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_concurrent_writers_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_writers_all_succeed(&[sqlite_file(&dir).await]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sqlite_stores_on_one_file_write_concurrently() {
    // Two pools on one file stand for `serve` plus a one-shot CLI command:
    // only the busy timeout coordinates them.
    let dir = tempfile::tempdir().unwrap();
    let stores = [sqlite_file(&dir).await, sqlite_file(&dir).await];
    concurrent_writers_all_succeed(&stores).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_racing_identical_status_reports_from_two_replicas_coalesce() {
    racing_identical_status_reports_coalesce(&postgres(2).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_racing_heartbeats_from_two_replicas_record_one_message_change() {
    racing_heartbeats_record_one_message_change(&postgres(2).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_concurrent_writers_all_succeed() {
    concurrent_writers_all_succeed(&postgres(1).await).await;
}
