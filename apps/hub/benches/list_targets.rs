//! HS §6.3 / §7 item 37: `GET /deployment-targets` on 1,000 targets with
//! 2,000 deployments, timed in process (router to response bytes) on a
//! throwaway PostgreSQL cluster and on a SQLite file. Prints a report; nothing
//! fails on a number (docs/benchmarks.md records the results).
//!
//! ```sh
//! cargo bench -p distr-hub --bench list_targets
//! BENCH_TARGETS=200 BENCH_RUNS=20 cargo bench -p distr-hub --bench list_targets
//! ```

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use distr_sql_store::{OpenOptions, SqlStore, StatementCounter};
use tower::ServiceExt as _;

mod common;

// Shared with the API tests (`super::support` resolves to this crate root).
#[path = "../tests/api/support.rs"]
#[expect(
    dead_code,
    unused_macros,
    reason = "only part of the test harness is used"
)]
mod support;

#[path = "../tests/api/fleet.rs"]
mod fleet;

use common::{env_number, ms, quantile};
use fleet::seed_fleet;
use support::{TestApp, auth_header};

async fn bench(label: &str, url: &str, targets: usize, runs: usize) {
    let counter = StatementCounter::new();
    let store = SqlStore::open_counting(url, OpenOptions::default(), &counter)
        .await
        .expect("open the store");
    store.migrate().await.expect("migrate");
    let app = TestApp::on_store(Arc::new(store), |_| {});
    let org = app.org().await;
    let seeding = Instant::now();
    seed_fleet(&app, &org, targets).await;
    let seeded_in = seeding.elapsed();
    let request = || {
        Request::get("/api/v1/deployment-targets")
            .header(header::AUTHORIZATION, auth_header(&org.admin.token))
            .body(Body::empty())
            .expect("request")
    };
    let mut samples = Vec::with_capacity(runs);
    let mut statements = Vec::with_capacity(runs);
    let mut bytes = 0;
    for run in 0..runs + 3 {
        counter.take();
        let start = Instant::now();
        let response = app.router.clone().oneshot(request()).await.expect("call");
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let elapsed = start.elapsed();
        // The first three are warm-up (pool connections, caches).
        if run >= 3 {
            samples.push(elapsed);
            statements.push(counter.take());
            bytes = body.len();
        }
    }
    samples.sort_unstable();
    statements.sort_unstable();
    println!(
        "BENCH list_targets backend={label} targets={targets} deployments={} runs={runs} \
         p50={} p99={} min={} max={} statements={}..{} body={} KiB seed={:.1} s",
        2 * targets,
        ms(quantile(&samples, 0.5)),
        ms(quantile(&samples, 0.99)),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
        statements[0],
        statements[statements.len() - 1],
        bytes / 1024,
        seeded_in.as_secs_f64(),
    );
}

#[tokio::main]
async fn main() {
    let targets = env_number("BENCH_TARGETS", 1000);
    let runs = env_number("BENCH_RUNS", 50).max(1);
    let url = distr_testkit::postgres::PgCluster::shared()
        .expect("start PostgreSQL")
        .create_database()
        .await
        .expect("create database");
    bench("postgres", &url, targets, runs).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}/hub.db", dir.path().display());
    bench("sqlite", &sqlite, targets, runs).await;
}
