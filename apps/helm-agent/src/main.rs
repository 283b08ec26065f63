//! `distr-helm-agent`: reads the environment (and the configuration
//! directories of AP §8.1), builds the adapters and runs the loop.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use distr_agent_core::{
    AgentTimings, SwappableHub, SystemClock, init_logging, release_name_from_env, run_on_runtime,
    self_log_pipeline, shutdown_signal,
};
use distr_domain::agent::{AgentEnv, CONFIG_DIRS_VAR, overlay_lookup, parse_agent_env};
use distr_helm_agent::{ConfigReload, HelmAdapters, run};
use distr_ports::agent::HubApi;

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
    run_on_runtime(agent(env))
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
    init_logging(self_logs);
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

fn hub_client(env: &AgentEnv) -> Result<distr_hub_client::HubClient, String> {
    distr_hub_client::HubClient::new(distr_hub_client::HubClientConfig::for_agent(
        env,
        release_name_from_env(env!("CARGO_PKG_VERSION")),
    ))
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
