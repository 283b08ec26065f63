//! `distr-helm-agent`: reads the environment (and the configuration
//! directories of AP §8.1), builds the adapters and runs the loop.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use distr_agent_core::{AgentTimings, SwappableHub, self_log_pipeline};
use distr_domain::agent::{AgentEnv, CONFIG_DIRS_VAR, overlay_lookup, parse_agent_env};
use distr_helm_agent::{ConfigReload, HelmAdapters, run};
use distr_ports::agent::HubApi;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

fn main() -> ExitCode {
    let process_env = |key: &str| std::env::var(key).ok();
    let files = match config_files() {
        Ok(files) => files,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let env = match parse_agent_env(&overlay_lookup(&files, &process_env)) {
        Ok(env) => env,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(agent(env))
}

/// The files of the directories in `DISTR_AGENT_CONFIG_DIRS` (none when unset).
fn config_files() -> Result<BTreeMap<String, String>, String> {
    match std::env::var(CONFIG_DIRS_VAR) {
        Ok(dirs) => distr_kube::read_config_files(&dirs).map_err(|e| e.to_string()),
        Err(_) => Ok(BTreeMap::new()),
    }
}

async fn agent(env: AgentEnv) -> ExitCode {
    let timings = AgentTimings::new(env.interval);
    let (self_logs, self_log_shipper) = self_log_pipeline(timings.self_log_period);
    // Only the agent's own records are shipped, never its HTTP stack's.
    let own_records =
        tracing_subscriber::filter::filter_fn(|meta| meta.target().starts_with("distr"));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        ))
        .with(self_logs.with_filter(own_records))
        .init();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        "kubernetes agent is starting"
    );
    let hub = match hub_client(&env) {
        Ok(client) => Arc::new(SwappableHub::new(Arc::new(client))),
        Err(err) => {
            tracing::error!(error = %err, "cannot set up the Hub client");
            return ExitCode::FAILURE;
        }
    };
    let adapters = match build_adapters(&env, Arc::clone(&hub) as Arc<dyn HubApi>).await {
        Ok(adapters) => adapters,
        Err(err) => {
            tracing::error!(error = %err, "cannot set up the kubernetes agent");
            return ExitCode::FAILURE;
        }
    };
    tokio::spawn(self_log_shipper.run(Arc::clone(&adapters.hub)));
    let reload = ConfigReload::new(
        env.clone(),
        Box::new(config_files),
        Box::new(|key| std::env::var(key).ok()),
        Box::new(|env| hub_client(env).map(|client| Arc::new(client) as Arc<dyn HubApi>)),
        Arc::clone(&hub),
    );
    run(env, adapters, timings, Some(reload), shutdown_signal()).await;
    ExitCode::SUCCESS
}

/// The release name reported in `User-Agent` (AP §6.2): the image's baked-in
/// `DISTR_AGENT_VERSION_NAME` (the image tag), else this build's version.
fn release_name() -> String {
    std::env::var("DISTR_AGENT_VERSION_NAME")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_owned())
}

fn hub_client(env: &AgentEnv) -> Result<distr_hub_client::HubClient, String> {
    distr_hub_client::HubClient::new(distr_hub_client::HubClientConfig {
        target_id: env.target_id.clone(),
        target_secret: env.target_secret.clone(),
        login_endpoint: env.login_endpoint.clone(),
        manifest_endpoint: env.manifest_endpoint.clone(),
        resources_endpoint: env.resources_endpoint.clone(),
        status_endpoint: env.status_endpoint.clone(),
        metrics_endpoint: env.metrics_endpoint.clone(),
        logs_endpoint: env.logs_endpoint.clone(),
        agent_logs_endpoint: env.agent_logs_endpoint.clone(),
        user_agent_version: release_name(),
        connect_timeout: distr_hub_client::HubClientConfig::DEFAULT_CONNECT_TIMEOUT,
        request_timeout: distr_hub_client::HubClientConfig::DEFAULT_REQUEST_TIMEOUT,
    })
    .map_err(|e| e.to_string())
}

async fn build_adapters(env: &AgentEnv, hub: Arc<dyn HubApi>) -> Result<HelmAdapters, String> {
    let cluster = Arc::new(
        distr_kube::KubeCluster::from_environment()
            .await
            .map_err(|e| e.to_string())?,
    );
    let helm = distr_helm_cli::CliHelm::new(
        Arc::new(distr_subprocess::TokioCommandRunner),
        distr_helm_cli::HelmCliConfig {
            plain_http: env.registry_plain_http,
            home: Some(PathBuf::from(&env.scratch_dir).join("helm")),
            ..distr_helm_cli::HelmCliConfig::default()
        },
    );
    Ok(HelmAdapters {
        hub,
        helm: Arc::new(helm),
        state: cluster.clone(),
        pull_secrets: cluster.clone(),
        health: cluster.clone(),
        restarter: cluster.clone(),
        logs: cluster.clone(),
        applier: cluster.clone(),
        metrics: cluster,
        clock: Arc::new(SystemClock),
    })
}

/// Wall-clock time.
#[derive(Debug)]
struct SystemClock;

impl distr_ports::Clock for SystemClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }
}

async fn shutdown_signal() {
    if let Err(err) = tokio::signal::ctrl_c().await {
        tracing::warn!(error = %err, "cannot listen for ctrl-c");
        std::future::pending::<()>().await;
    }
}
