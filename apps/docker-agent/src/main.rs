//! `distr-docker-agent`: reads the environment, builds the adapters and runs
//! the loop.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use distr_agent_core::{
    AgentTimings, SystemClock, init_logging, release_name_from_env, run_on_runtime,
    self_log_pipeline, shutdown_signal,
};
use distr_docker_agent::{DockerAdapters, run};
use distr_domain::agent::{AgentEnv, parse_agent_env};

fn main() -> ExitCode {
    let env = match parse_agent_env(&|key| std::env::var(key).ok()) {
        Ok(env) => env,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    run_on_runtime(agent(env))
}

async fn agent(env: AgentEnv) -> ExitCode {
    let timings = AgentTimings::new(env.interval);
    let (self_logs, self_log_shipper) = self_log_pipeline(timings.self_log_period);
    init_logging(self_logs);
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        "docker agent is starting"
    );
    let adapters = match build_adapters(&env) {
        Ok(adapters) => adapters,
        Err(err) => {
            tracing::error!(error = %err, "cannot set up the docker agent");
            return ExitCode::FAILURE;
        }
    };
    tokio::spawn(self_log_shipper.run(Arc::clone(&adapters.hub)));
    run(env, adapters, timings, shutdown_signal()).await;
    ExitCode::SUCCESS
}

fn build_adapters(env: &AgentEnv) -> Result<DockerAdapters, String> {
    let hub = distr_hub_client::HubClient::new(distr_hub_client::HubClientConfig::for_agent(
        env,
        release_name_from_env(env!("CARGO_PKG_VERSION")),
    ))
    .map_err(|e| e.to_string())?;
    let scratch = PathBuf::from(&env.scratch_dir);
    let runner: Arc<dyn distr_docker_cli::CommandRunner> =
        Arc::new(distr_docker_cli::TokioCommandRunner);
    let engine = distr_docker_engine::BollardEngine::connect().map_err(|e| e.to_string())?;
    Ok(DockerAdapters {
        hub: Arc::new(hub),
        runtime: Arc::new(distr_docker_cli::CliDockerRuntime::new(Arc::clone(&runner))),
        engine: Arc::new(engine),
        registry: Arc::new(distr_docker_cli::DockerRegistryAuth::new(
            std::env::temp_dir(),
            &env.registry_host,
        )),
        updater: Arc::new(distr_docker_cli::CliSelfUpdater::new(
            runner,
            scratch.clone(),
            &env.target_secret,
            env.host_docker_config_dir.as_deref().unwrap_or_default(),
        )),
        state: Arc::new(distr_docker_cli::FileStateStore::new(&scratch)),
        metrics: Arc::new(distr_host_metrics::ProcHostMetrics::new(PathBuf::from(
            "/proc",
        ))),
        clock: Arc::new(SystemClock),
    })
}
