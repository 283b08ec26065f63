//! HS §7 item 84: 1,000 simulated agents against one Hub replica on
//! PostgreSQL; the agent routes should keep p99 under 100 ms. A throwaway
//! PostgreSQL cluster (`distr_testkit::postgres`) holds N docker targets with
//! one compose deployment each; the real router serves on a loopback
//! listener and N agents (tokio tasks sharing one reqwest client pool) follow
//! the protocol cadence from a random start offset: every interval
//! `GET /agent/resources` (plain poll, no `If-None-Match`, so never held)
//! then `POST /agent/status`; every 30 s `POST /agent/metrics` and
//! `PUT /agent/logs` with three lines. After one interval of warm-up every
//! request is timed (send to last body byte) for the measured window, and
//! one `BENCH` line per route is printed. Nothing fails on a number
//! (docs/benchmarks.md records the results). The agents run on the same
//! machine as the Hub and PostgreSQL, which inflates the latencies.
//!
//! ```sh
//! cargo bench -p distr-hub --bench agent_load
//! BENCH_AGENTS=200 BENCH_SECONDS=30 BENCH_INTERVAL=5 cargo bench -p distr-hub --bench agent_load
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use distr_domain::ids::{DeploymentId, OrganizationId, RevisionId, TargetId};
use distr_sql_store::{OpenOptions, SqlStore};
use distr_testkit::builders::{
    AgentVersionBuilder, ApplicationBuilder, DeploymentBuilder, TargetBuilder, VersionBuilder,
};
use futures::StreamExt as _;
use serde_json::{Value, json};
use tokio::time::{Instant, MissedTickBehavior};

mod common;

// Shared with the API tests (`super::support` resolves to this crate root).
#[path = "../tests/api/support.rs"]
#[expect(
    dead_code,
    unused_macros,
    reason = "only part of the test harness is used"
)]
mod support;

use common::{env_number, ms, quantile};
use support::{AGENT_USER_AGENT, TestApp};

/// The cadence of metrics and log uploads.
const SLOW_PERIOD: Duration = Duration::from_secs(30);

/// The timed agent routes, in report order.
const ROUTES: [&str; 4] = [
    "GET /agent/resources",
    "POST /agent/status",
    "POST /agent/metrics",
    "PUT /agent/logs",
];

/// One seeded target as its agent knows it.
struct Agent {
    target: TargetId,
    deployment: DeploymentId,
    revision: RevisionId,
    token: String,
}

/// One timed request: route index, latency, 2xx or not.
type Sample = (usize, Duration, bool);

/// Seeds `n` docker targets with one compose deployment (logs enabled) each,
/// all with the same target secret; returns them and the secret.
async fn seed(app: &TestApp, org: OrganizationId, n: usize) -> (Vec<Agent>, String) {
    let store = &app.state.store;
    let version = AgentVersionBuilder::new(&app.state.config.hub_agent_version).build();
    let agent_version = store.upsert_agent_version(&version).await.expect("agent");
    let application = ApplicationBuilder::docker(org).name("web").build();
    store.create_application(&application).await.expect("app");
    let release = VersionBuilder::for_app(&application).name("1.0").build();
    store.create_version(&release).await.expect("version");
    // One Argon2 hash for all: every login still verifies its own.
    let secret = app.state.target_secrets.generate_secret();
    let hash = app
        .state
        .target_secrets
        .hash_target_secret(&secret)
        .await
        .expect("hash");
    let mut agents = Vec::with_capacity(n);
    for i in 0..n {
        let target = TargetBuilder::docker(org)
            .name(&format!("agent-{i:04}"))
            .agent_version(agent_version.id)
            .build();
        store.create_target(&target).await.expect("target");
        store
            .set_target_secret(target.id, &hash)
            .await
            .expect("secret");
        let (deployment, revision) = DeploymentBuilder::new(target.id, application.id)
            .logs_enabled(true)
            .build_with_revision(release.id);
        store
            .create_deployment(&deployment, &revision)
            .await
            .expect("deployment");
        agents.push(Agent {
            target: target.id,
            deployment: deployment.id,
            revision: revision.id,
            token: String::new(),
        });
    }
    (agents, secret)
}

/// `POST /agent/login` with the target credentials, four at a time.
async fn login_all(http: &reqwest::Client, base: &str, agents: &mut [Agent], secret: &str) {
    let tokens: Vec<String> = futures::stream::iter(agents.iter().map(|agent| {
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{secret}", agent.target));
        async move {
            let reply: Value = http
                .post(format!("{base}/api/v1/agent/login"))
                .header("authorization", format!("Basic {basic}"))
                .send()
                .await
                .expect("login")
                .error_for_status()
                .expect("login status")
                .json()
                .await
                .expect("login body");
            reply["token"].as_str().expect("token").to_owned()
        }
    }))
    .buffered(4)
    .collect()
    .await;
    for (agent, token) in agents.iter_mut().zip(tokens) {
        agent.token = token;
    }
}

/// Sends one request and times it to the last body byte.
async fn timed(
    samples: &mut Vec<Sample>,
    record: bool,
    route: usize,
    request: reqwest::RequestBuilder,
) {
    let start = Instant::now();
    let ok = match request.send().await {
        Ok(response) => {
            let status = response.status();
            response.bytes().await.is_ok() && status.is_success()
        }
        Err(_) => false,
    };
    if record {
        samples.push((route, start.elapsed(), ok));
    }
}

/// Timing of one run.
#[derive(Clone, Copy)]
struct Schedule {
    start: Instant,
    measure_from: Instant,
    end: Instant,
    interval: Duration,
}

/// One agent: polls and reports until `end`, from a random offset.
async fn run_agent(
    http: reqwest::Client,
    base: Arc<str>,
    agent: Agent,
    at: Schedule,
) -> Vec<Sample> {
    let random =
        |period: Duration| period.mul_f64(uuid::Uuid::new_v4().as_u128() as f64 / u128::MAX as f64);
    let mut ticks = tokio::time::interval_at(at.start + random(at.interval), at.interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut next_slow = at.start + random(SLOW_PERIOD);
    let bearer = format!("Bearer {}", agent.token);
    let mut samples = Vec::new();
    loop {
        let tick = ticks.tick().await;
        if tick >= at.end {
            return samples;
        }
        let record = tick >= at.measure_from;
        let request = |method, path: &str| {
            http.request(method, format!("{base}/api/v1/agent/{path}"))
                .header("authorization", &bearer)
        };
        timed(
            &mut samples,
            record,
            0,
            request(reqwest::Method::GET, "resources"),
        )
        .await;
        let status = json!({"revisionId": agent.revision, "type": "healthy", "message": "running"});
        timed(
            &mut samples,
            record,
            1,
            request(reqwest::Method::POST, "status").json(&status),
        )
        .await;
        if Instant::now() < next_slow {
            continue;
        }
        next_slow += SLOW_PERIOD;
        let metrics = json!({"cpuCoresMillis": 4000, "cpuUsage": 0.31,
                             "memoryBytes": 8_589_934_592_u64, "memoryUsage": 0.42});
        timed(
            &mut samples,
            record,
            2,
            request(reqwest::Method::POST, "metrics").json(&metrics),
        )
        .await;
        let now = chrono::Utc::now();
        let lines: Vec<Value> = (0..3)
            .map(|line| {
                json!({"deploymentId": agent.deployment, "deploymentRevisionId": agent.revision,
                       "resource": "web", "timestamp": now, "severity": "stdout",
                       "body": format!("GET /health 200 ({line})")})
            })
            .collect();
        timed(
            &mut samples,
            record,
            3,
            request(reqwest::Method::PUT, "logs").json(&lines),
        )
        .await;
    }
}

/// Prints one `BENCH` line per route and one for all of them.
fn report(samples: &[Sample], agents: usize, interval: Duration, seconds: f64) {
    let mut lines: Vec<(String, Vec<Duration>, usize)> = ROUTES
        .iter()
        .enumerate()
        .map(|(index, route)| {
            let of_route = samples.iter().filter(|s| s.0 == index);
            let errors = of_route.clone().filter(|s| !s.2).count();
            ((*route).to_owned(), of_route.map(|s| s.1).collect(), errors)
        })
        .collect();
    let errors = samples.iter().filter(|s| !s.2).count();
    lines.push((
        "all".to_owned(),
        samples.iter().map(|s| s.1).collect(),
        errors,
    ));
    for (route, mut latencies, errors) in lines {
        latencies.sort_unstable();
        let count = latencies.len();
        if count == 0 {
            println!("BENCH agent_load route=\"{route}\" count=0");
            continue;
        }
        println!(
            "BENCH agent_load route=\"{route}\" agents={agents} interval={} s window={seconds:.0} s \
             count={count} errors={errors} p50={} p99={} max={} rate={:.1}/s",
            interval.as_secs_f64(),
            ms(quantile(&latencies, 0.5)),
            ms(quantile(&latencies, 0.99)),
            ms(latencies[count - 1]),
            count as f64 / seconds,
        );
    }
}

#[tokio::main]
async fn main() {
    let n = env_number("BENCH_AGENTS", 1000).max(1);
    let interval = Duration::from_secs(env_number("BENCH_INTERVAL", 5).max(1) as u64);
    let seconds = env_number("BENCH_SECONDS", 60).max(1) as u64;
    let url = distr_testkit::postgres::PgCluster::shared()
        .expect("start PostgreSQL")
        .create_database()
        .await
        .expect("create database");
    // The production default pool (DATABASE_MAX_CONNS=10).
    let store = SqlStore::open(&url, OpenOptions::default())
        .await
        .expect("open the store");
    store.migrate().await.expect("migrate");
    let app = TestApp::on_store(Arc::new(store.clone()), |_| {});
    app.state.metrics.observe_pool(store);
    let org = app.org().await;
    let seeding = std::time::Instant::now();
    let (mut agents, secret) = seed(&app, org.id, n).await;
    let seeded_in = seeding.elapsed();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base: Arc<str> = format!("http://{}", listener.local_addr().expect("addr")).into();
    let router = app.router.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    let http = reqwest::Client::builder()
        .user_agent(AGENT_USER_AGENT)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let logging_in = std::time::Instant::now();
    login_all(&http, &base, &mut agents, &secret).await;
    println!(
        "agent_load: {n} targets seeded in {:.1} s, logged in over HTTP in {:.1} s; \
         agents, Hub and PostgreSQL share this machine's {} cores",
        seeded_in.as_secs_f64(),
        logging_in.elapsed().as_secs_f64(),
        std::thread::available_parallelism().map_or(0, |p| p.get()),
    );

    let start = Instant::now();
    let schedule = Schedule {
        start,
        measure_from: start + interval,
        end: start + interval + Duration::from_secs(seconds),
        interval,
    };
    let tasks: Vec<_> = agents
        .into_iter()
        .map(|agent| tokio::spawn(run_agent(http.clone(), Arc::clone(&base), agent, schedule)))
        .collect();
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.expect("agent task"));
    }
    report(&samples, n, interval, seconds as f64);
}
