//! One Hub, one kubernetes target and the helm agent loop on fakes.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use distr_agent_core::{AgentTimings, SystemClock};
use distr_domain::agent::parse_agent_env;
use distr_helm_agent::{HelmAdapters, run};
use distr_testkit::agent_fakes::{FakeHelm, FakeKube, FakeMetrics};
use reqwest::Method;
use serde_json::{Value, json};

use crate::api::{Api, b64, id_of};
use crate::hub::{Hub, HubOptions, hub_binary};

/// The namespace of the target.
pub const NS: &str = "customer-apps";

/// A running Hub with a connected helm agent.
pub struct Case {
    pub hub: Hub,
    pub api: Api,
    pub target_id: String,
    pub helm: FakeHelm,
    pub kube: FakeKube,
    agent: tokio::task::JoinHandle<()>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Case {
    /// Starts a Hub, creates a cluster-scoped kubernetes target with metrics
    /// and starts the agent with its credentials.
    pub async fn start() -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let agent_bin = Path::new(env!("CARGO_BIN_EXE_distr-helm-agent"));
        let bin = hub_binary(&workspace, agent_bin).await;
        let hub = Hub::start(
            &bin,
            HubOptions {
                agent_version: "9.0.1".to_owned(),
                agent_repository: "distr-test/docker-agent".to_owned(),
                stale_after: "60s".to_owned(),
                distr_host: None,
            },
        )
        .await;
        let api = Api::new(&hub.base(), &hub.bootstrap_token().await);
        let target = api
            .ok(
                Method::POST,
                "/deployment-targets",
                Some(
                    json!({"name": "cluster", "type": "kubernetes", "namespace": NS,
                            "scope": "cluster", "metricsEnabled": true}),
                ),
            )
            .await;
        let target_id = id_of(&target);
        let access = api.access_request(&target_id).await;
        let (helm, kube) = (FakeHelm::new(), FakeKube::new());
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let agent = tokio::spawn(agent_loop(
            hub.base(),
            access["targetId"].as_str().expect("targetId").to_owned(),
            access["targetSecret"]
                .as_str()
                .expect("targetSecret")
                .to_owned(),
            helm.clone(),
            kube.clone(),
            async move {
                let _ = stopped.await;
            },
        ));
        Self {
            hub,
            api,
            target_id,
            helm,
            kube,
            agent,
            stop: Some(stop),
        }
    }

    /// Creates a kubernetes application (repository chart `web` 0.1.0 with
    /// `valuesFile`); returns its version id. The release name defaults to
    /// the application's name in lower case.
    pub async fn chart_application(&self, name: &str, values_file: &str) -> String {
        let app = self
            .api
            .ok(
                Method::POST,
                "/applications",
                Some(json!({"name": name, "type": "kubernetes"})),
            )
            .await;
        let version = self
            .api
            .ok(
                Method::POST,
                &format!("/applications/{}/versions", id_of(&app)),
                Some(json!({"name": "0.1.0", "chartType": "repository",
                            "chartUrl": "https://charts.example.com/stable", "chartName": "web",
                            "chartVersion": "0.1.0", "valuesFile": b64(values_file)})),
            )
            .await;
        id_of(&version)
    }

    /// `PUT /deployments` for a new deployment; returns its id.
    pub async fn deploy(&self, version_id: &str, values: &str) -> String {
        let body = json!({"deploymentTargetId": self.target_id, "applicationVersionId": version_id,
                          "valuesYaml": b64(values), "logsEnabled": true});
        id_of(&self.api.put_deployment(body).await)
    }

    /// Waits for a status record of `kind` whose message starts with `prefix`.
    pub async fn wait_status(&self, deployment_id: &str, kind: &str, prefix: &str) -> Value {
        until!(
            format!("status {kind} '{prefix}…' of {deployment_id}"),
            Duration::from_secs(60),
            async {
                let statuses = self.api.statuses(deployment_id).await;
                statuses
                    .iter()
                    .find(|s| {
                        s["type"] == kind
                            && s["message"].as_str().is_some_and(|m| m.starts_with(prefix))
                    })
                    .cloned()
                    .ok_or_else(|| format!("{statuses:?}"))
            }
        )
    }

    /// Stops the agent loop.
    pub async fn stop_agent(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), &mut self.agent).await;
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        self.agent.abort();
        if std::thread::panicking() {
            eprintln!("--- hub log ---\n{}", self.hub.log());
        }
    }
}

/// The agent as `main` runs it, with the fakes in place of Helm and the cluster.
async fn agent_loop(
    base: String,
    target_id: String,
    target_secret: String,
    helm: FakeHelm,
    kube: FakeKube,
    shutdown: impl Future<Output = ()>,
) {
    let endpoint = |path: &str| format!("{base}/api/v1/agent/{path}");
    let vars = [
        ("DISTR_TARGET_ID", target_id),
        ("DISTR_TARGET_SECRET", target_secret),
        ("DISTR_LOGIN_ENDPOINT", endpoint("login")),
        ("DISTR_MANIFEST_ENDPOINT", endpoint("manifest")),
        ("DISTR_RESOURCE_ENDPOINT", endpoint("resources")),
        ("DISTR_STATUS_ENDPOINT", endpoint("status")),
        ("DISTR_METRICS_ENDPOINT", endpoint("metrics")),
        ("DISTR_LOGS_ENDPOINT", endpoint("logs")),
        (
            "DISTR_AGENT_LOGS_ENDPOINT",
            endpoint("deployment-target-logs"),
        ),
        ("DISTR_INTERVAL", "1s".to_owned()),
    ];
    let env = parse_agent_env(&|key| vars.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()))
        .expect("agent environment");
    let hub = distr_hub_client::HubClient::new(distr_hub_client::HubClientConfig::for_agent(
        &env,
        "9.0.1".to_owned(),
    ))
    .expect("hub client");
    let adapters = HelmAdapters {
        hub: Arc::new(hub),
        helm: Arc::new(helm),
        state: Arc::new(kube.clone()),
        pull_secrets: Arc::new(kube.clone()),
        health: Arc::new(kube.clone()),
        restarter: Arc::new(kube.clone()),
        logs: Arc::new(kube.clone()),
        applier: Arc::new(kube),
        metrics: Arc::new(FakeMetrics::new()),
        clock: Arc::new(SystemClock),
    };
    // Telemetry every second instead of every 30 s.
    let timings = AgentTimings {
        metrics_period: Duration::from_secs(1),
        log_period: Duration::from_secs(1),
        self_log_period: Duration::from_secs(1),
        ..AgentTimings::new(env.interval)
    };
    run(env, adapters, timings, None, shutdown).await;
}
