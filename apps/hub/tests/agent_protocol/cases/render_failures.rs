//! AP §12 items 30–32 (AP §11e): a deployment that cannot be rendered never
//! fails the response and never disappears once served.

use distr_domain::target::KubernetesScope;
use distr_ports::store::PageRequest;
use serde_json::Value;

use super::resources::COMPOSE;
use crate::agent_protocol::support::{Agent, Backend, TestHub};

/// Item 30: a bad compose file, a missing secret and a values clash each
/// keep the previous payload; other deployments are unaffected.
pub async fn bad_new_revision_keeps_serving_the_previous_payload(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let good = hub.compose_app(COMPOSE).await;
    let broken = hub
        .app_version(
            good.application_id,
            distr_domain::application::VersionContent::Docker {
                compose_file: "services: [unclosed".to_owned(),
                template_file: None,
            },
        )
        .await;
    let (bad_compose, first) = hub.deploy(&target, &good, None).await;
    let (bad_secret, _) = hub.deploy(&target, &good, None).await;
    let (healthy, _) = hub.deploy(&target, &good, None).await;
    let (before, _) = agent.desired().await;

    hub.redeploy(&bad_compose, &broken, None).await;
    hub.redeploy(&bad_secret, &good, Some("X={{ .Secrets.MISSING }}\n"))
        .await;
    let fresh = hub.redeploy(&healthy, &good, Some("A=2\n")).await;
    let (after, _) = agent.desired().await;
    let deployments = after["deployments"].as_array().unwrap();
    assert_eq!(deployments.len(), 3);
    assert_eq!(
        deployments[0], before["deployments"][0],
        "previous payload, unchanged"
    );
    assert_eq!(deployments[0]["revisionId"], first.id.to_string());
    assert_eq!(deployments[1], before["deployments"][1]);
    assert_eq!(deployments[2]["revisionId"], fresh.id.to_string());
    let heartbeat = hub
        .store()
        .find_target(target.id)
        .await
        .unwrap()
        .unwrap()
        .heartbeat
        .unwrap();
    assert_eq!(heartbeat.message, "OK");

    // logsEnabled is refreshed from current data.
    hub.store()
        .set_logs_enabled(bad_compose.id, false)
        .await
        .unwrap();
    let (later, _) = agent.desired().await;
    assert_eq!(later["deployments"][0]["logsEnabled"], false);
    assert_eq!(later["deployments"][0]["revisionId"], first.id.to_string());

    // A kubernetes values clash behaves the same.
    let k8s = hub.kubernetes_target(KubernetesScope::Cluster).await;
    let secret = hub.access_request(k8s.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut k8s_agent = Agent::new(&hub, k8s.id, &secret);
    let chart = hub.helm_app("image:\n  tag: '1'\n").await;
    let (release, served) = hub.deploy(&k8s, &chart, Some("image:\n  tag: '2'\n")).await;
    let (before, _) = k8s_agent.desired().await;
    hub.redeploy(&release, &chart, Some("image: flat\n")).await;
    let (after, _) = k8s_agent.desired().await;
    assert_eq!(after["deployments"][0], before["deployments"][0]);
    assert_eq!(after["deployments"][0]["revisionId"], served.id.to_string());
}

/// Item 31.
pub async fn bad_revision_gets_a_hub_render_error_status(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, _) = hub.deploy(&target, &version, None).await;
    agent.desired().await;
    let bad = hub
        .redeploy(&deployment, &version, Some("X={{ .Secrets.MISSING }}\n"))
        .await;
    agent.desired().await;
    agent.desired().await;
    let statuses = hub
        .store()
        .list_statuses(deployment.id, PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(statuses.len(), 1, "repeated polls coalesce: {statuses:?}");
    let status = &statuses[0];
    assert_eq!(status.deployment_revision_id, bad.id);
    assert_eq!(
        status.status_type,
        distr_domain::deployment::StatusType::Error
    );
    assert!(
        status.message.starts_with("hub: cannot render revision: "),
        "{}",
        status.message
    );
    assert!(status.message.contains("MISSING"), "{}", status.message);
}

/// Item 32.
pub async fn deployment_whose_only_revision_cannot_render_is_omitted(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (good, _) = hub.deploy(&target, &version, None).await;
    hub.deploy(&target, &version, Some("X={{ .Secrets.MISSING }}\n"))
        .await;
    let response = agent.resources(None, None).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let deployments = body["deployments"].as_array().unwrap();
    assert_eq!(deployments.len(), 1);
    assert_eq!(deployments[0]["id"], good.id.to_string());
}
