//! AP §12 items 22–29: the desired state of `GET /agent/resources`.

use distr_domain::target::KubernetesScope;
use serde_json::{Value, json};

use crate::agent_protocol::support::{Agent, Backend, TestHub, b64};

/// A compose file with a `$` that must survive untouched.
pub const COMPOSE: &str =
    "services:\n  web:\n    image: nginx:1.27\n    environment:\n      GREETING: ${GREETING}\n";

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort_unstable();
    keys
}

/// Item 22.
pub async fn docker_target_without_deployments_gets_version_and_metrics_flag(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let response = agent.resources(None, None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(keys(&body), ["metricsEnabled", "version"]);
    assert_eq!(body["metricsEnabled"], true);
    assert_eq!(keys(&body["version"]), ["createdAt", "id", "name"]);
    assert_eq!(body["version"]["id"], hub.version.id.to_string());
    assert_eq!(body["version"]["name"], hub.version.name);
    let created: chrono::DateTime<chrono::Utc> = body["version"]["createdAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((created - hub.version.created_at).num_milliseconds().abs() < 1);
}

/// Item 23.
pub async fn kubernetes_resource_contains_namespace(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.kubernetes_target(KubernetesScope::Namespace).await;
    let secret = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut agent = Agent::new(&hub, target.id, &secret);
    let (body, _) = agent.desired().await;
    assert_eq!(body["namespace"], "apps");
    assert_eq!(body["metricsEnabled"], false);
}

/// Item 24.
pub async fn docker_deployment_has_all_keys_and_named_project(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, revision) = hub.deploy(&target, &version, None).await;
    let (body, _) = agent.desired().await;
    let element = &body["deployments"][0];
    assert_eq!(
        keys(element),
        [
            "chartName",
            "chartUrl",
            "chartVersion",
            "composeFile",
            "dockerType",
            "envFile",
            "forceRestart",
            "id",
            "ignoreRevisionSkew",
            "logsEnabled",
            "registryAuth",
            "releaseName",
            "revisionId",
            "values"
        ]
    );
    assert_eq!(element["id"], deployment.id.to_string());
    assert_eq!(element["revisionId"], revision.id.to_string());
    assert_eq!(element["dockerType"], "compose");
    assert_eq!(element["releaseName"], "");
    assert_eq!(element["chartUrl"], "");
    assert_eq!(element["chartName"], "");
    assert_eq!(element["chartVersion"], "");
    assert_eq!(element["values"], Value::Null);
    assert_eq!(element["envFile"], Value::Null);
    assert_eq!(element["registryAuth"], Value::Null);
    assert_eq!(element["logsEnabled"], true);
    let compose: Value = serde_saphyr::from_str(&b64(&element["composeFile"])).unwrap();
    let id8 = &deployment.id.to_string()[..8];
    assert_eq!(compose["name"], format!("distr-{id8}"));
    assert_eq!(compose["services"]["web"]["image"], "nginx:1.27");
    assert_eq!(
        compose["services"]["web"]["environment"]["GREETING"],
        "${GREETING}"
    );
}

/// Item 25.
pub async fn kubernetes_deployment_has_values_and_null_docker_fields(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.kubernetes_target(KubernetesScope::Cluster).await;
    let secret = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut agent = Agent::new(&hub, target.id, &secret);
    let version = hub.helm_app("replicas: 1\n").await;
    let (deployment, _) = hub.deploy(&target, &version, None).await;
    let (body, _) = agent.desired().await;
    let element = &body["deployments"][0];
    assert_eq!(element["composeFile"], Value::Null);
    assert_eq!(element["envFile"], Value::Null);
    assert_eq!(element["dockerType"], Value::Null);
    assert_eq!(element["chartName"], "");
    assert_eq!(element["chartUrl"], "oci://registry.example/charts/web");
    assert_eq!(element["chartVersion"], "1.2.3");
    assert_eq!(
        element["releaseName"],
        deployment.release_name.clone().unwrap()
    );
    assert_eq!(element["values"], json!({"replicas": 1}));
}

/// Item 26.
pub async fn env_file_renders_the_owner_secrets(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let customer = hub.add_customer("Customer").await;
    hub.secret(None, "DB_PASSWORD", "vendor-value").await;
    hub.secret(Some(customer.id), "DB_PASSWORD", "customer-value")
        .await;
    let version = hub.compose_app(COMPOSE).await;

    let (vendor_target, mut vendor_agent) = hub.connected_docker_agent(None).await;
    hub.deploy(
        &vendor_target,
        &version,
        Some("PASSWORD={{ .Secrets.DB_PASSWORD }}\nPLAIN=1\n"),
    )
    .await;
    let (body, _) = vendor_agent.desired().await;
    assert_eq!(
        b64(&body["deployments"][0]["envFile"]),
        "PASSWORD=vendor-value\nPLAIN=1\n"
    );

    let (customer_target, mut customer_agent) = hub.connected_docker_agent(Some(customer.id)).await;
    hub.deploy(
        &customer_target,
        &version,
        Some("PASSWORD={{ index .Secrets \"DB_PASSWORD\" }}\n"),
    )
    .await;
    let (body, _) = customer_agent.desired().await;
    assert_eq!(
        b64(&body["deployments"][0]["envFile"]),
        "PASSWORD=customer-value\n"
    );
}

/// Item 27.
pub async fn values_merge_recursively_and_replace_lists(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.kubernetes_target(KubernetesScope::Cluster).await;
    let secret = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut agent = Agent::new(&hub, target.id, &secret);
    let base = "image:\n  repository: web\n  tag: '1'\nports: [80, 443]\nkeep: yes-kept\n";
    let version = hub.helm_app(base).await;
    hub.deploy(
        &target,
        &version,
        Some("image:\n  tag: '2'\nports: [8080]\n"),
    )
    .await;
    let (body, _) = agent.desired().await;
    assert_eq!(
        body["deployments"][0]["values"],
        json!({"image": {"repository": "web", "tag": "2"}, "ports": [8080], "keep": "yes-kept"})
    );
}

/// Item 28.
pub async fn deployments_come_in_creation_order_with_latest_revision(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (first, _) = hub.deploy(&target, &version, None).await;
    let (second, _) = hub.deploy(&target, &version, None).await;
    let latest = hub.redeploy(&first, &version, Some("A=1\n")).await;
    let (body, _) = agent.desired().await;
    let deployments = body["deployments"].as_array().unwrap();
    assert_eq!(deployments.len(), 2);
    assert_eq!(deployments[0]["id"], first.id.to_string());
    assert_eq!(deployments[0]["revisionId"], latest.id.to_string());
    assert_eq!(deployments[1]["id"], second.id.to_string());
    assert_eq!(deployments[0]["registryAuth"], Value::Null);
}

/// Item 29.
pub async fn poll_connects_the_target_and_repeats_add_no_history(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    assert!(
        hub.store()
            .find_target(target.id)
            .await
            .unwrap()
            .unwrap()
            .heartbeat
            .is_none()
    );
    agent.desired().await;
    let first = hub
        .store()
        .find_target(target.id)
        .await
        .unwrap()
        .unwrap()
        .heartbeat
        .unwrap();
    assert_eq!(first.message, "OK");
    let age = chrono::Utc::now() - first.last_seen_at;
    assert!(age.num_seconds() <= 10, "lastSeenAt is {age} old");
    let view: Value = hub
        .http
        .get(hub.url(&format!("/deployment-targets/{}", target.id)))
        .bearer_auth(hub.admin_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["connectionState"], "connected", "{view}");
    for _ in 0..100 {
        assert_eq!(agent.resources(None, None).await.status(), 200);
    }
    let after = hub
        .store()
        .find_target(target.id)
        .await
        .unwrap()
        .unwrap()
        .heartbeat
        .unwrap();
    assert_eq!(
        after.change_id, first.change_id,
        "unchanged messages add no history row"
    );
    assert_eq!(after.message_since, first.message_since);
}

/// Isolation: an agent sees nothing of another target.
pub async fn agent_sees_only_its_own_deployments(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target_a, mut agent_a) = hub.connected_docker_agent(None).await;
    let (target_b, mut agent_b) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (a, _) = hub.deploy(&target_a, &version, None).await;
    let (b, _) = hub.deploy(&target_b, &version, None).await;
    let (body_a, _) = agent_a.desired().await;
    let (body_b, _) = agent_b.desired().await;
    let ids = |body: &Value| -> Vec<String> {
        body["deployments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&body_a), [a.id.to_string()]);
    assert_eq!(ids(&body_b), [b.id.to_string()]);
}

/// AP §3.7: a Hub-internal failure answers 500 and is still recorded as
/// contact, with `<context>: <error>` as the heartbeat message.
pub async fn internal_failure_answers_500_and_records_the_heartbeat_error(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    hub.deploy(&target, &version, None).await;
    agent.desired().await;
    let corrupt = distr_domain::secret::Secret {
        id: uuid::Uuid::now_v7().into(),
        organization_id: hub.org.id,
        customer_organization_id: None,
        key: distr_domain::secret::SecretKey::parse("BROKEN").unwrap(),
        value_ciphertext: b"not a ciphertext".to_vec(),
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
        updated_by_user_account_id: None,
    };
    hub.store().create_secret(&corrupt).await.unwrap();
    let response = agent.resources(None, None).await;
    assert_eq!(response.status(), 500);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let heartbeat = hub
        .store()
        .find_target(target.id)
        .await
        .unwrap()
        .unwrap()
        .heartbeat
        .unwrap();
    assert!(
        heartbeat
            .message
            .starts_with("cannot load secrets: cannot decrypt secret "),
        "{}",
        heartbeat.message
    );

    hub.store()
        .delete_secret(hub.org.id, corrupt.id)
        .await
        .unwrap();
    agent.desired().await;
    let heartbeat = hub
        .store()
        .find_target(target.id)
        .await
        .unwrap()
        .unwrap()
        .heartbeat
        .unwrap();
    assert_eq!(heartbeat.message, "OK");
}
