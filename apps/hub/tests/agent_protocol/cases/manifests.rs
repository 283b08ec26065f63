//! AP §12 items 39–40 and 50–56: install manifests.

use std::process::Stdio;

use distr_domain::target::{AgentResources, AgentVersion, DeploymentTarget, KubernetesScope};
use k8s_openapi::api::apps::v1::Deployment as K8sDeployment;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, Role, RoleBinding};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::agent_protocol::support::{
    Agent, Backend, DOCKER_REPO, HUB_AGENT_VERSION, KUBERNETES_REPO, TestHub,
};

/// `GET /connect` for `target` with `secret`: (content type, body).
async fn connect(hub: &TestHub, target: &DeploymentTarget, secret: &str) -> (String, String) {
    let response = hub
        .http
        .get(hub.url("/connect"))
        .query(&[
            ("targetId", target.id.to_string()),
            ("targetSecret", secret.to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (content_type, response.text().await.unwrap())
}

async fn agent_manifest(agent: &mut Agent) -> (String, String) {
    let response = agent
        .request(reqwest::Method::GET, "/agent/manifest")
        .await
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (content_type, response.text().await.unwrap())
}

async fn kubernetes(hub: &TestHub, scope: KubernetesScope) -> (DeploymentTarget, String, Agent) {
    let target = hub.kubernetes_target(scope).await;
    let secret = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let agent = Agent::new(hub, target.id, &secret);
    (target, secret, agent)
}

fn documents(yaml: &str) -> Vec<Value> {
    serde_saphyr::from_multiple::<Value>(yaml)
        .unwrap()
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}

fn kinds(docs: &[Value]) -> Vec<String> {
    docs.iter()
        .map(|d| {
            format!(
                "{}/{}",
                d["kind"].as_str().unwrap(),
                d["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect()
}

/// Item 39.
pub async fn docker_agent_manifest_equals_connect_without_the_secret(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let (connect_type, connect_yaml) = connect(&hub, &target, &agent.secret.clone()).await;
    let (manifest_type, manifest_yaml) = agent_manifest(&mut agent).await;
    assert_eq!(connect_type, "application/yaml");
    assert_eq!(manifest_type, "application/yaml");
    let mut from_connect: Value = serde_saphyr::from_str(&connect_yaml).unwrap();
    let from_manifest: Value = serde_saphyr::from_str(&manifest_yaml).unwrap();
    let env = &mut from_connect["services"]["agent"]["environment"];
    assert_eq!(env["DISTR_TARGET_SECRET"], agent.secret.as_str());
    env["DISTR_TARGET_SECRET"] = json!("");
    assert_eq!(from_connect, from_manifest);
}

/// Item 40.
pub async fn kubernetes_agent_manifest_has_no_auth_secret(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, secret, mut agent) = kubernetes(&hub, KubernetesScope::Namespace).await;
    let (_, connect_yaml) = connect(&hub, &target, &secret).await;
    let (content_type, manifest_yaml) = agent_manifest(&mut agent).await;
    assert_eq!(content_type, "application/yaml");
    let with = kinds(&documents(&connect_yaml));
    let without = kinds(&documents(&manifest_yaml));
    assert!(
        with.contains(&"Secret/distr-agent-auth".to_owned()),
        "{with:?}"
    );
    assert!(
        !without.contains(&"Secret/distr-agent-auth".to_owned()),
        "{without:?}"
    );
    let auth = documents(&connect_yaml)
        .into_iter()
        .find(|d| d["metadata"]["name"] == "distr-agent-auth")
        .unwrap();
    assert_eq!(auth["stringData"]["DISTR_TARGET_SECRET"], secret.as_str());
    assert!(!manifest_yaml.contains(&secret));
}

/// Item 50.
pub async fn docker_manifest_has_the_upstream_shape(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, agent) = hub.connected_docker_agent(None).await;
    let (_, yaml) = connect(&hub, &target, &agent.secret).await;
    let compose: Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(compose["name"], "distr");
    let service = &compose["services"]["agent"];
    assert_eq!(service["network_mode"], "host");
    assert_eq!(service["restart"], "unless-stopped");
    assert_eq!(
        service["image"],
        format!("{DOCKER_REPO}:{HUB_AGENT_VERSION}")
    );
    let env = &service["environment"];
    let api = format!("{}/api/v1/agent", hub.base);
    assert_eq!(env["DISTR_TARGET_ID"], target.id.to_string());
    assert_eq!(env["DISTR_LOGIN_ENDPOINT"], format!("{api}/login"));
    assert_eq!(env["DISTR_MANIFEST_ENDPOINT"], format!("{api}/manifest"));
    assert_eq!(env["DISTR_RESOURCE_ENDPOINT"], format!("{api}/resources"));
    assert_eq!(env["DISTR_STATUS_ENDPOINT"], format!("{api}/status"));
    assert_eq!(env["DISTR_METRICS_ENDPOINT"], format!("{api}/metrics"));
    assert_eq!(env["DISTR_LOGS_ENDPOINT"], format!("{api}/logs"));
    assert_eq!(
        env["DISTR_AGENT_LOGS_ENDPOINT"],
        format!("{api}/deployment-target-logs")
    );
    assert_eq!(env["DISTR_INTERVAL"], "5s");
    assert_eq!(env["DISTR_AGENT_VERSION_ID"], hub.version.id.to_string());
    assert_eq!(env["DISTR_AGENT_SCRATCH_DIR"], "/scratch");
    assert_eq!(
        env["HOST_DOCKER_CONFIG_DIR"],
        "${HOST_DOCKER_CONFIG_DIR-${HOME}/.docker}"
    );
    assert_eq!(
        service["volumes"],
        json!([
            "/var/run/docker.sock:/var/run/docker.sock",
            "scratch:/scratch",
            "${HOST_DOCKER_CONFIG_DIR-${HOME}/.docker}:/root/.docker:ro"
        ])
    );
    assert!(
        compose["volumes"]
            .as_object()
            .unwrap()
            .contains_key("scratch")
    );
}

/// Item 51.
pub async fn manifests_have_no_registry_keys_without_registry(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, agent) = hub.connected_docker_agent(None).await;
    let (_, docker) = connect(&hub, &target, &agent.secret).await;
    assert!(!docker.contains("DISTR_REGISTRY_"), "{docker}");
    let (target, secret, _) = kubernetes(&hub, KubernetesScope::Cluster).await;
    let (_, k8s) = connect(&hub, &target, &secret).await;
    assert!(!k8s.contains("DISTR_REGISTRY_"), "{k8s}");
}

/// Item 52 (configuration and per-version overrides).
pub async fn image_repository_settings_change_the_images(backend: Backend) {
    let hub = TestHub::start_with(backend, |config| {
        config.agent_docker_image_repository = "mirror.example/docker-agent".to_owned();
        config.agent_kubernetes_image_repository = "mirror.example/kubernetes-agent".to_owned();
    })
    .await;
    let (target, agent) = hub.connected_docker_agent(None).await;
    let (_, docker) = connect(&hub, &target, &agent.secret).await;
    let compose: Value = serde_saphyr::from_str(&docker).unwrap();
    assert_eq!(
        compose["services"]["agent"]["image"],
        format!("mirror.example/docker-agent:{HUB_AGENT_VERSION}")
    );
    let (k8s_target, secret, _) = kubernetes(&hub, KubernetesScope::Cluster).await;
    let (_, k8s) = connect(&hub, &k8s_target, &secret).await;
    let deployment = documents(&k8s)
        .into_iter()
        .find(|d| d["kind"] == "Deployment")
        .unwrap();
    assert_eq!(
        deployment["spec"]["template"]["spec"]["containers"][0]["image"],
        format!("mirror.example/kubernetes-agent:{HUB_AGENT_VERSION}")
    );

    let upstream = hub
        .store()
        .upsert_agent_version(&AgentVersion {
            id: uuid::Uuid::now_v7().into(),
            created_at: chrono::Utc::now(),
            name: "2.7.0".to_owned(),
            docker_image_repository: Some("ghcr.io/distr-sh/distr/docker-agent".to_owned()),
            kubernetes_image_repository: None,
        })
        .await
        .unwrap();
    let mut pinned = target.clone();
    pinned.agent_version_id = upstream.id;
    hub.store().update_target(&pinned).await.unwrap();
    let (_, docker) = connect(&hub, &target, &agent.secret).await;
    let compose: Value = serde_saphyr::from_str(&docker).unwrap();
    assert_eq!(
        compose["services"]["agent"]["image"],
        "ghcr.io/distr-sh/distr/docker-agent:2.7.0"
    );
    assert_eq!(
        compose["services"]["agent"]["environment"]["DISTR_AGENT_VERSION_ID"],
        upstream.id.to_string()
    );
}

/// Item 53.
pub async fn kubernetes_documents_come_in_order(backend: Backend) {
    let hub = TestHub::start_with(backend, |config| {
        config.agent_docker_config =
            Some(r#"{"auths":{"registry.example":{"auth":"dTpw"}}}"#.to_owned());
    })
    .await;
    let (target, secret, mut agent) = kubernetes(&hub, KubernetesScope::Namespace).await;
    let (_, yaml) = connect(&hub, &target, &secret).await;
    let docs = documents(&yaml);
    assert_eq!(
        kinds(&docs),
        [
            "ConfigMap/distr-agent-env",
            "Secret/distr-agent-auth",
            "Secret/distr-agent-dockerconfig",
            "ServiceAccount/distr-agent",
            "Role/namespace-admin",
            "RoleBinding/distr-agent",
            "Deployment/distr-agent"
        ]
    );
    let dockerconfig = &docs[2]["data"]["config.json"];
    assert_eq!(
        crate::agent_protocol::support::b64(dockerconfig),
        r#"{"auths":{"registry.example":{"auth":"dTpw"}}}"#
    );
    let (_, manifest) = agent_manifest(&mut agent).await;
    assert_eq!(
        kinds(&documents(&manifest)),
        [
            "ConfigMap/distr-agent-env",
            "Secret/distr-agent-dockerconfig",
            "ServiceAccount/distr-agent",
            "Role/namespace-admin",
            "RoleBinding/distr-agent",
            "Deployment/distr-agent"
        ]
    );
}

/// Item 54.
pub async fn rbac_follows_the_scope(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, secret, _) = kubernetes(&hub, KubernetesScope::Namespace).await;
    let docs = documents(&connect(&hub, &target, &secret).await.1);
    let role: Role =
        serde_json::from_value(docs.iter().find(|d| d["kind"] == "Role").unwrap().clone()).unwrap();
    let rules = role.rules.unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].verbs, ["*"]);
    let binding: RoleBinding = serde_json::from_value(
        docs.iter()
            .find(|d| d["kind"] == "RoleBinding")
            .unwrap()
            .clone(),
    )
    .unwrap();
    assert_eq!(binding.role_ref.kind, "Role");
    assert_eq!(binding.role_ref.name, "namespace-admin");
    assert!(!docs.iter().any(|d| d["kind"] == "ClusterRoleBinding"));

    let (target, secret, _) = kubernetes(&hub, KubernetesScope::Cluster).await;
    let docs = documents(&connect(&hub, &target, &secret).await.1);
    let binding: ClusterRoleBinding = serde_json::from_value(
        docs.iter()
            .find(|d| d["kind"] == "ClusterRoleBinding")
            .unwrap()
            .clone(),
    )
    .unwrap();
    assert_eq!(binding.metadata.name.as_deref(), Some("distr-agent-apps"));
    assert_eq!(binding.role_ref.name, "cluster-admin");
    let subject = &binding.subjects.unwrap()[0];
    assert_eq!(subject.name, "distr-agent");
    assert_eq!(subject.namespace.as_deref(), Some("apps"));
    assert!(
        !docs
            .iter()
            .any(|d| d["kind"] == "Role" || d["kind"] == "RoleBinding")
    );
}

/// Item 55.
pub async fn agent_resources_default_or_follow_the_target(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (mut target, secret, _) = kubernetes(&hub, KubernetesScope::Cluster).await;
    let container = |yaml: &str| {
        let doc = documents(yaml)
            .into_iter()
            .find(|d| d["kind"] == "Deployment")
            .unwrap();
        doc["spec"]["template"]["spec"]["containers"][0]["resources"].clone()
    };
    let defaults = container(&connect(&hub, &target, &secret).await.1);
    assert_eq!(
        defaults,
        json!({"limits": {"memory": "256Mi", "cpu": "500m"}, "requests": {"memory": "256Mi"}})
    );
    target.resources = Some(AgentResources {
        cpu_request: "100m".to_owned(),
        memory_request: "128Mi".to_owned(),
        cpu_limit: "1".to_owned(),
        memory_limit: "1Gi".to_owned(),
    });
    hub.store().update_target(&target).await.unwrap();
    let custom = container(&connect(&hub, &target, &secret).await.1);
    assert_eq!(
        custom,
        json!({"limits": {"memory": "1Gi", "cpu": "1"}, "requests": {"memory": "128Mi", "cpu": "100m"}})
    );
}

/// Item 56 (docker): the compose output is accepted by `docker compose config`,
/// even with `'` and `$` in inserted values.
pub async fn compose_manifest_passes_docker_compose_config(backend: Backend) {
    if std::env::var("DISTR_SKIP_DOCKER").is_ok_and(|v| v == "1") {
        eprintln!("!!!!! SKIPPED: docker compose validation (DISTR_SKIP_DOCKER=1) !!!!!");
        return;
    }
    let version = tokio::process::Command::new("docker")
        .args(["compose", "version"])
        .output()
        .await;
    assert!(
        version.as_ref().is_ok_and(|o| o.status.success()),
        "`docker compose version` failed; install the Compose v2 plugin or set DISTR_SKIP_DOCKER=1: {version:?}"
    );
    let hub = TestHub::start_with(backend, |config| {
        config.distr_host = "https://hub.example/o'neil/$HOME".to_owned()
    })
    .await;
    let (target, agent) = hub.connected_docker_agent(None).await;
    let (_, yaml) = connect(&hub, &target, &agent.secret).await;
    let mut child = tokio::process::Command::new("docker")
        .args(["compose", "-f", "-", "config", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(yaml.as_bytes())
        .await
        .unwrap();
    let output = child.wait_with_output().await.unwrap();
    assert!(
        output.status.success(),
        "docker compose config failed: {}\n{yaml}",
        String::from_utf8_lossy(&output.stderr)
    );
    let resolved: Value = serde_json::from_slice(&output.stdout).unwrap();
    let env = &resolved["services"]["agent"]["environment"];
    // `config` prints the resolved model re-escaped: `$$HOME` is the literal
    // `$HOME` (an interpolated one would have become a path).
    assert_eq!(
        env["DISTR_LOGIN_ENDPOINT"],
        "https://hub.example/o'neil/$$HOME/api/v1/agent/login"
    );
    assert_eq!(env["DISTR_TARGET_SECRET"], agent.secret.as_str());
    assert_eq!(resolved["name"], "distr");
}

/// Item 56 (kubernetes): every document parses into its k8s-openapi type.
pub async fn kubernetes_manifest_parses_into_k8s_types(backend: Backend) {
    let hub = TestHub::start_with(backend, |config| {
        config.distr_host = "https://hub.example/o'neil/$HOME".to_owned()
    })
    .await;
    let (target, secret, _) = kubernetes(&hub, KubernetesScope::Namespace).await;
    let (_, yaml) = connect(&hub, &target, &secret).await;
    for doc in documents(&yaml) {
        let kind = doc["kind"].as_str().unwrap().to_owned();
        match kind.as_str() {
            "ConfigMap" => {
                let map: ConfigMap = serde_json::from_value(doc).unwrap();
                let data = map.data.unwrap();
                assert_eq!(
                    data["DISTR_LOGIN_ENDPOINT"],
                    "https://hub.example/o'neil/$HOME/api/v1/agent/login"
                );
                assert_eq!(data["DISTR_TARGET_ID"], target.id.to_string());
            }
            "Secret" => drop(serde_json::from_value::<Secret>(doc).unwrap()),
            "ServiceAccount" => drop(serde_json::from_value::<ServiceAccount>(doc).unwrap()),
            "Role" => drop(serde_json::from_value::<Role>(doc).unwrap()),
            "RoleBinding" => drop(serde_json::from_value::<RoleBinding>(doc).unwrap()),
            "Deployment" => {
                let deployment: K8sDeployment = serde_json::from_value(doc).unwrap();
                let spec = deployment.spec;
                assert_eq!(spec.replicas, Some(1));
                let pod = spec.template.spec.unwrap();
                assert_eq!(pod.service_account_name.as_deref(), Some("distr-agent"));
                assert_eq!(
                    pod.containers[0].image.as_deref(),
                    Some(format!("{KUBERNETES_REPO}:{HUB_AGENT_VERSION}").as_str())
                );
            }
            other => panic!("unexpected document kind {other}"),
        }
    }
}
