//! AP §12 items 41–48: status, metrics and logs sent by agents.

use distr_domain::deployment::StatusType;
use distr_ports::store::PageRequest;
use reqwest::Method;
use serde_json::{Value, json};

use super::resources::COMPOSE;
use crate::agent_protocol::support::{Agent, Backend, TestHub};

async fn status(agent: &mut Agent, body: &Value) -> reqwest::Response {
    agent.send_json(Method::POST, "/agent/status", body).await
}

/// Item 41.
pub async fn valid_status_is_stored_with_an_empty_200(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, revision) = hub.deploy(&target, &version, None).await;
    let response =
        status(&mut agent, &json!({"revisionId": revision.id.to_string(), "type": "healthy", "message": "all good", "x": 1}))
            .await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.unwrap().is_empty());
    let statuses = hub
        .store()
        .list_statuses(deployment.id, PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses[0].status_type, StatusType::Healthy);
    assert_eq!(statuses[0].message, "all good");
    assert_eq!(statuses[0].deployment_revision_id, revision.id);
    let listed = hub
        .http
        .get(hub.url(&format!("/deployments/{}/status", deployment.id)))
        .bearer_auth(hub.admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200, "the status read API lists it");
    let listed: Value = listed.json().await.unwrap();
    assert_eq!(listed[0]["type"], "healthy");
    assert_eq!(listed[0]["message"], "all good");
    assert_eq!(listed[0]["deploymentRevisionId"], revision.id.to_string());

    // A missing message means "".
    let response = status(
        &mut agent,
        &json!({"revisionId": revision.id.to_string(), "type": "running", "message": null}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let statuses = hub
        .store()
        .list_statuses(deployment.id, PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(statuses[0].message, "");
}

/// Item 42.
pub async fn legacy_ok_is_running_and_unknown_type_is_400(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, revision) = hub.deploy(&target, &version, None).await;
    let rev = revision.id.to_string();
    assert_eq!(
        status(
            &mut agent,
            &json!({"revisionId": rev, "type": "ok", "message": "m"})
        )
        .await
        .status(),
        200
    );
    let statuses = hub
        .store()
        .list_statuses(deployment.id, PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(statuses[0].status_type, StatusType::Running);

    let response = status(
        &mut agent,
        &json!({"revisionId": rev, "type": "foo", "message": "m"}),
    )
    .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["detail"], "invalid deployment status type: foo");
    let missing = status(&mut agent, &json!({"revisionId": rev, "message": "m"})).await;
    assert_eq!(missing.status(), 400);
    let bad_json = agent
        .request(Method::POST, "/agent/status")
        .await
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
    assert_eq!(
        bad_json.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(
        hub.store()
            .list_statuses(deployment.id, PageRequest::first(10))
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Item 43.
pub async fn status_for_foreign_or_unknown_revision_is_404(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let (other_target, _) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (foreign, foreign_revision) = hub.deploy(&other_target, &version, None).await;
    let response = status(
        &mut agent,
        &json!({"revisionId": foreign_revision.id.to_string(), "type": "healthy", "message": "x"}),
    )
    .await;
    assert_eq!(response.status(), 404);
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        status(
            &mut agent,
            &json!({"revisionId": unknown, "type": "healthy"})
        )
        .await
        .status(),
        404
    );
    assert!(
        hub.store()
            .list_statuses(foreign.id, PageRequest::first(10))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Item 44.
pub async fn identical_statuses_coalesce_and_new_messages_add_records(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, revision) = hub.deploy(&target, &version, None).await;
    let report =
        json!({"revisionId": revision.id.to_string(), "type": "running", "message": "same"});
    assert_eq!(status(&mut agent, &report).await.status(), 200);
    let first = hub
        .store()
        .list_statuses(deployment.id, PageRequest::first(10))
        .await
        .unwrap();
    for _ in 0..9 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        assert_eq!(status(&mut agent, &report).await.status(), 200);
    }
    let after = hub
        .store()
        .list_statuses(deployment.id, PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].id, first[0].id);
    assert!(
        after[0].last_reported_at > first[0].last_reported_at,
        "createdAt advances"
    );
    let changed =
        json!({"revisionId": revision.id.to_string(), "type": "running", "message": "different"});
    assert_eq!(status(&mut agent, &changed).await.status(), 200);
    assert_eq!(
        hub.store()
            .list_statuses(deployment.id, PageRequest::first(10))
            .await
            .unwrap()
            .len(),
        2
    );
}

/// Item 45.
pub async fn latest_status_is_newest_record_of_newest_revision(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, old) = hub.deploy(&target, &version, None).await;
    status(
        &mut agent,
        &json!({"revisionId": old.id.to_string(), "type": "healthy", "message": "old"}),
    )
    .await;
    let new = hub.redeploy(&deployment, &version, None).await;
    let latest = hub.store().latest_statuses(&[deployment.id]).await.unwrap();
    assert_eq!(
        latest[0].1.message, "old",
        "the previous revision stays visible"
    );
    status(
        &mut agent,
        &json!({"revisionId": new.id.to_string(), "type": "progressing", "message": "new"}),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    status(
        &mut agent,
        &json!({"revisionId": old.id.to_string(), "type": "healthy", "message": "old again"}),
    )
    .await;
    let latest = hub.store().latest_statuses(&[deployment.id]).await.unwrap();
    assert_eq!(latest[0].1.message, "new");
}

/// Items 41 and HS §2.2/§2.3: messages are redacted and capped at 64 KiB.
pub async fn status_message_is_redacted_and_capped(backend: Backend) {
    let hub = TestHub::start(backend).await;
    hub.secret(None, "TOKEN", "s3cr3t-value").await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, revision) = hub.deploy(&target, &version, None).await;
    let long = format!("leaked s3cr3t-value {}", "é".repeat(40_000));
    assert_eq!(
        status(
            &mut agent,
            &json!({"revisionId": revision.id.to_string(), "type": "error", "message": long})
        )
        .await
        .status(),
        200
    );
    let stored = &hub
        .store()
        .list_statuses(deployment.id, PageRequest::first(1))
        .await
        .unwrap()[0];
    assert!(
        stored.message.starts_with("leaked ******** é"),
        "{}",
        &stored.message[..30]
    );
    assert!(!stored.message.contains("s3cr3t-value"));
    assert!(
        stored.message.len() <= 64 * 1024 && stored.message.len() > 60 * 1024,
        "{}",
        stored.message.len()
    );
}

/// Item 46.
pub async fn metrics_are_stored_even_when_disabled(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (mut target, mut agent) = hub.connected_docker_agent(None).await;
    target.metrics_enabled = false;
    hub.store().update_target(&target).await.unwrap();
    let report = json!({"cpuCoresMillis": 4000, "cpuUsage": 0.25, "memoryBytes": 8_000_000_000_i64, "memoryUsage": 0.5});
    let response = agent
        .send_json(Method::POST, "/agent/metrics", &report)
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.unwrap().is_empty());
    let latest = hub.store().latest_metrics(&[target.id]).await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].cpu_cores_millis, 4000);
    assert!((latest[0].memory_usage - 0.5).abs() < f64::EPSILON);
    let bad = agent
        .request(Method::POST, "/agent/metrics")
        .await
        .body("[1,")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

fn log(deployment: &str, revision: &str, body: &str) -> Value {
    json!({"deploymentId": deployment, "deploymentRevisionId": revision, "resource": "web-1",
        "timestamp": "2026-01-02T03:04:05.123+01:00", "severity": "Log", "body": body})
}

/// Item 47.
pub async fn log_batch_is_stored_and_a_foreign_pair_rejects_all(backend: Backend) {
    let hub = TestHub::start(backend).await;
    hub.secret(None, "TOKEN", "s3cr3t-value").await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let (other, _) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, revision) = hub.deploy(&target, &version, None).await;
    let (_, foreign_revision) = hub.deploy(&other, &version, None).await;
    let (d, r) = (deployment.id.to_string(), revision.id.to_string());
    let batch = json!([
        log(&d, &r, "one"),
        log(&d, &r, "token s3cr3t-value"),
        log(&d, &r, "one")
    ]);
    assert_eq!(
        agent
            .send_json(Method::PUT, "/agent/logs", &batch)
            .await
            .status(),
        204
    );
    let stored = hub
        .store()
        .list_deployment_logs(deployment.id, "web-1", PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(stored.len(), 3, "no deduplication");
    assert!(stored.iter().any(|l| l.body == "token ********"));
    assert!(
        stored
            .iter()
            .all(|l| l.timestamp.to_rfc3339() == "2026-01-02T02:04:05.123+00:00")
    );

    let foreign = foreign_revision.id.to_string();
    let mixed = json!([log(&d, &r, "two"), log(&d, &foreign, "three")]);
    let response = agent.send_json(Method::PUT, "/agent/logs", &mixed).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["detail"],
        format!(
            "not found: deployment {d} and revision {foreign} does not exist in deployment target {}",
            target.id
        )
    );
    let stored = hub
        .store()
        .list_deployment_logs(deployment.id, "web-1", PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(stored.len(), 3, "nothing of the rejected batch is stored");
}

/// Item 48.
pub async fn empty_and_null_log_bodies_and_target_logs_with_id_are_204(backend: Backend) {
    let hub = TestHub::start(backend).await;
    hub.secret(None, "TOKEN", "s3cr3t-value").await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    for path in ["/agent/logs", "/agent/deployment-target-logs"] {
        assert_eq!(
            agent
                .send_json(Method::PUT, path, &json!([]))
                .await
                .status(),
            204,
            "{path} []"
        );
        assert_eq!(
            agent
                .send_json(Method::PUT, path, &Value::Null)
                .await
                .status(),
            204,
            "{path} null"
        );
    }
    let own = json!([
        {"id": "00000000-0000-0000-0000-000000000000", "timestamp": "2026-01-02T03:04:05Z", "severity": "info",
         "body": "agent started with s3cr3t-value"},
        {"id": "00000000-0000-0000-0000-000000000000", "timestamp": "2026-01-02T03:04:06Z", "severity": "warn", "body": "w"}
    ]);
    assert_eq!(
        agent
            .send_json(Method::PUT, "/agent/deployment-target-logs", &own)
            .await
            .status(),
        204
    );
    let stored = hub
        .store()
        .list_target_logs(target.id, PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].severity, "warn");
    assert_eq!(stored[1].body, "agent started with ********");
}

/// HS §3.9: logs of a deployment with logs disabled are acknowledged, not stored.
pub async fn logs_of_a_deployment_with_logs_disabled_are_not_stored(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, revision) = hub.deploy(&target, &version, None).await;
    hub.store()
        .set_logs_enabled(deployment.id, false)
        .await
        .unwrap();
    let batch = json!([log(
        &deployment.id.to_string(),
        &revision.id.to_string(),
        "hidden"
    )]);
    assert_eq!(
        agent
            .send_json(Method::PUT, "/agent/logs", &batch)
            .await
            .status(),
        204
    );
    assert!(
        hub.store()
            .list_deployment_logs(deployment.id, "web-1", PageRequest::first(10))
            .await
            .unwrap()
            .is_empty()
    );
}
