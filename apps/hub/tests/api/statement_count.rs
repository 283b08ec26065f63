//! HS §6.1 / §7 item 37: `GET /deployment-targets` runs a constant number of
//! SQL statements, whatever the number of targets, and so does
//! `GET /user-accounts` whatever the number of members (counted with the SQL
//! store's `StatementCounter`, on SQLite and on PostgreSQL).
//!
//! The fleet ([`super::fleet::seed_fleet`]) grows in every dimension that
//! scales with targets.

use std::sync::Arc;

use axum::http::StatusCode;
use distr_domain::user::UserRole;
use distr_sql_store::{OpenOptions, SqlStore, StatementCounter};

use super::fleet::seed_fleet;
use super::support::TestApp;

/// The statements one `GET /deployment-targets` runs on a fleet of `targets`.
async fn statements_for(url: &str, max_connections: u32, targets: usize) -> u64 {
    let counter = StatementCounter::new();
    let store = SqlStore::open_counting(url, OpenOptions { max_connections }, &counter)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let app = TestApp::on_store(Arc::new(store), |_| {});
    let org = app.org().await;
    seed_fleet(&app, &org, targets).await;
    counter.take();
    let list = app
        .get("/api/v1/deployment-targets", &org.admin.token)
        .await;
    let statements = counter.take();
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let listed = list.body.as_array().unwrap();
    assert_eq!(listed.len(), targets);
    let deployments: usize = listed
        .iter()
        .map(|t| t["deployments"].as_array().unwrap().len())
        .sum();
    assert_eq!(deployments, 2 * targets);
    // The seeded status messages really went through per-customer redaction.
    let customer_target = &listed[listed.len() - 1];
    let message = customer_target["deployments"][0]["latestStatus"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        !message.contains("hunter"),
        "unredacted status: {customer_target}"
    );
    statements
}

async fn assert_constant(url_for: impl AsyncFn() -> String, max_connections: u32) {
    let small = statements_for(&url_for().await, max_connections, 10).await;
    let large = statements_for(&url_for().await, max_connections, 200).await;
    assert!(small > 0, "the counter saw no statements");
    assert_eq!(
        small, large,
        "GET /deployment-targets ran {small} statements for 10 targets but {large} for 200"
    );
}

#[tokio::test]
async fn listing_targets_runs_a_constant_number_of_statements_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let url_for = async || {
        let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        format!("sqlite://{}/hub-{n}.db", dir.path().display())
    };
    assert_constant(url_for, 4).await;
}

#[tokio::test]
async fn listing_targets_runs_a_constant_number_of_statements_on_postgres() {
    let url_for = async || {
        distr_testkit::postgres::PgCluster::shared()
            .expect("start PostgreSQL")
            .create_database()
            .await
            .expect("create database")
    };
    assert_constant(url_for, 4).await;
}

/// The statements one `GET /user-accounts` runs for an organization of `members` extra members.
async fn statements_for_members(url: &str, members: usize) -> u64 {
    let counter = StatementCounter::new();
    let store = SqlStore::open_counting(url, OpenOptions { max_connections: 4 }, &counter)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let app = TestApp::on_store(Arc::new(store), |_| {});
    let org = app.org().await;
    for _ in 0..members {
        app.user(org.id, UserRole::ReadOnly, None, "pw").await;
    }
    counter.take();
    let list = app.get("/api/v1/user-accounts", &org.admin.token).await;
    let statements = counter.take();
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    // The seeded organization has six members of its own.
    assert_eq!(list.body.as_array().unwrap().len(), members + 6);
    statements
}

#[tokio::test]
async fn listing_users_runs_a_constant_number_of_statements() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = |n: usize| format!("sqlite://{}/users-{n}.db", dir.path().display());
    let small = statements_for_members(&sqlite(0), 2).await;
    let large = statements_for_members(&sqlite(1), 40).await;
    assert!(small > 0, "the counter saw no statements");
    assert_eq!(
        small, large,
        "SQLite: {small} statements for 8 members, {large} for 46"
    );
    let cluster = distr_testkit::postgres::PgCluster::shared().expect("start PostgreSQL");
    let small = statements_for_members(&cluster.create_database().await.unwrap(), 2).await;
    let large = statements_for_members(&cluster.create_database().await.unwrap(), 40).await;
    assert_eq!(
        small, large,
        "PostgreSQL: {small} statements for 8 members, {large} for 46"
    );
}
