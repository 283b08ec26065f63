//! Benchmarks, not timed tests: they print measurements (for
//! docs/benchmarks.md) and assert only that the measured thing happened.
//! Run with `cargo test -p distr-docker-agent --test e2e -- --ignored benchmark_ --nocapture`.

use std::time::Duration;

use serde_json::json;

use crate::api::{b64, text};
use crate::compose_lifecycle::web_compose;
use crate::docker::inspect;
use crate::images::WEB_IMAGE;
use crate::proxy::Proxy;
use crate::setup::{self, AGENT_CONTAINER, CaseOptions, SOON};
use crate::wait;

/// (RSS in KiB, CPU time in clock ticks) of a host process.
fn process_usage(pid: &str) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_default();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<u64> = rest
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let cpu =
        fields.get(10).copied().unwrap_or_default() + fields.get(11).copied().unwrap_or_default();
    (rss, cpu)
}

#[tokio::test]
#[ignore = "benchmark; run explicitly"]
async fn benchmark_idle_agent_with_ten_deployments() {
    let Some(case) = setup::start("benchmark idle", CaseOptions::default()).await else {
        return;
    };
    let target = case.connect_new_target("e2e-bench-idle", &[]).await;
    let (_, version) = case
        .api
        .create_application("fleet", "1.0.0", &web_compose(WEB_IMAGE))
        .await;
    let mut ids = Vec::new();
    for _ in 0..10 {
        let d = case
            .deploy(&target, &version, "GREETING=hi\nAPI_KEY=none\n", json!({}))
            .await;
        ids.push(text(&d, "id").to_owned());
    }
    for id in &ids {
        case.wait_status(id, "healthy", Duration::from_secs(180))
            .await;
    }
    let pid = inspect(AGENT_CONTAINER, "{{.State.Pid}}")
        .await
        .expect("agent pid");
    let window = Duration::from_secs(30);
    let (rss_before, cpu_before) = process_usage(&pid);
    tokio::time::sleep(window).await;
    let (rss_after, cpu_after) = process_usage(&pid);
    let ticks = window.as_secs(); // AGENT_INTERVAL=1s
    let cpu_ms = (cpu_after - cpu_before) * 10; // USER_HZ = 100
    eprintln!(
        "BENCH idle, 10 deployments: RSS {rss_before} KiB → {rss_after} KiB; CPU {cpu_ms} ms over {ticks} ticks = {:.1} ms/tick",
        cpu_ms as f64 / ticks as f64
    );
    assert!(rss_after > 0, "the agent process was measured");
}

#[tokio::test]
#[ignore = "benchmark; run explicitly"]
async fn benchmark_put_deployment_to_compose_up_latency_with_long_poll() {
    put_to_compose_up("long-poll", false).await;
}

#[tokio::test]
#[ignore = "benchmark; run explicitly"]
async fn benchmark_put_deployment_to_compose_up_latency_with_plain_polling() {
    put_to_compose_up("plain polling (ETag stripped by a proxy)", true).await;
}

async fn put_to_compose_up(mode: &str, plain: bool) {
    let proxy = if plain {
        Some(Proxy::bind().await)
    } else {
        None
    };
    let options = CaseOptions {
        distr_host: proxy.as_ref().map(|p| p.base.clone()),
        ..CaseOptions::default()
    };
    let Some(case) = setup::start("benchmark latency", options).await else {
        return;
    };
    if let Some(proxy) = proxy {
        proxy.serve(case.hub.base());
    }
    let target = case.connect_new_target("e2e-bench-latency", &[]).await;
    let (_, version) = case
        .api
        .create_application("quick", "1.0.0", &web_compose(WEB_IMAGE))
        .await;
    let first = case
        .deploy(&target, &version, "GREETING=0\nAPI_KEY=x\n", json!({}))
        .await;
    let id = text(&first, "id").to_owned();
    case.wait_status(&id, "healthy", SOON).await;
    let mut samples = Vec::new();
    for round in 1..=8 {
        let ups_before = up_calls(&case).await.len();
        let put_at = wait::uptime();
        case.api
            .put_deployment(json!({
                "deploymentTargetId": target,
                "deploymentId": id,
                "envFileData": b64(&format!("GREETING={round}\nAPI_KEY=x\n")),
            }))
            .await;
        let started = until!("compose up for the new revision", SOON, async {
            let ups = up_calls(&case).await;
            ups.get(ups_before)
                .copied()
                .ok_or_else(|| format!("{} ups", ups.len()))
        });
        samples.push(started - put_at);
        case.wait_status(&id, "healthy", SOON).await;
    }
    samples.sort_by(f64::total_cmp);
    eprintln!(
        "BENCH PUT /deployments → compose up, {mode}, AGENT_INTERVAL=1s: min {:.2} s, median {:.2} s, max {:.2} s over {} rounds",
        samples[0],
        samples[samples.len() / 2],
        samples[samples.len() - 1],
        samples.len()
    );
}

/// Uptime stamps of the agent's `compose … up` calls.
async fn up_calls(case: &setup::Case) -> Vec<f64> {
    case.agent_calls()
        .await
        .iter()
        .filter(|l| l.contains(" compose ") && l.split_whitespace().any(|w| w == "up"))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}
