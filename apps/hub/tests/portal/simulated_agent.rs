//! The simulated agent of the browser tests: the agent protocol calls a
//! real agent makes (status, deployment logs, its own logs, metrics), sent
//! with the `DistrAgentClient/<version>` user agent so the Hub records the
//! reported agent version, plus metrics samples seeded over the past hour
//! so the charts and gauges have something to draw.

use chrono::{TimeDelta, Utc};
use distr_domain::ids::{MetricsSampleId, TargetId};
use distr_domain::telemetry::MetricsSample;
use serde_json::{Value, json};

use super::support::TestApp;

/// An HTTP client that identifies as the agent release this Hub ships.
pub fn agent_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(format!(
            "DistrAgentClient/{}",
            distr_hub::config::SHIPPED_AGENT_VERSION
        ))
        .build()
        .unwrap()
}

pub async fn agent_status(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    revision: &str,
    kind: &str,
) {
    agent_report(http, base, token, revision, kind, kind).await;
}

pub async fn agent_report(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    revision: &str,
    kind: &str,
    message: &str,
) {
    let response = http
        .post(format!("{base}/api/v1/agent/status"))
        .bearer_auth(token)
        .json(&json!({"revisionId": revision, "type": kind, "message": message}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// `PUT /agent/logs` with one line of resource `web`, timestamped now.
pub async fn agent_log(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    desired: &Value,
    body: &str,
) {
    let deployment = &desired["deployments"][0];
    let response = http
        .put(format!("{base}/api/v1/agent/logs"))
        .bearer_auth(token)
        .json(&json!([{
            "deploymentId": deployment["id"],
            "deploymentRevisionId": deployment["revisionId"],
            "resource": "web",
            "timestamp": chrono::Utc::now(),
            "severity": "stdout",
            "body": body,
        }]))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// `PUT /agent/deployment-target-logs` with one line of the agent's own log.
pub async fn agent_target_log(http: &reqwest::Client, base: &str, token: &str, body: &str) {
    let response = http
        .put(format!("{base}/api/v1/agent/deployment-target-logs"))
        .bearer_auth(token)
        .json(&json!([{"timestamp": Utc::now(), "severity": "info", "body": body}]))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// One sample a minute over the past hour: 4 cores and 8 GiB, with CPU
/// and memory use that rise and fall like a working host's.
pub async fn seed_metrics(app: &TestApp, target: TargetId) {
    let now = Utc::now();
    for minute in 0..60_i32 {
        let t = f64::from(minute);
        app.state
            .store
            .insert_metrics(&MetricsSample {
                id: MetricsSampleId::from_uuid(uuid::Uuid::now_v7()),
                deployment_target_id: target,
                created_at: now - TimeDelta::minutes(i64::from(60 - minute)),
                cpu_cores_millis: 4000,
                cpu_usage: 0.3 + 0.12 * (t / 5.0).sin() + 0.05 * (t / 1.7).sin(),
                memory_bytes: 8 * 1024 * 1024 * 1024,
                memory_usage: 0.42 + 0.06 * (t / 14.0).sin(),
            })
            .await
            .unwrap();
    }
}
