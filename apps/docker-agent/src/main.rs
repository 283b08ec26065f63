//! `distr-docker-agent`: reads the environment, builds the adapters and runs
//! the loop.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use distr_agent_core::{AgentTimings, self_log_pipeline};
use distr_docker_agent::{DockerAdapters, run};
use distr_domain::agent::{AgentEnv, parse_agent_env};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

fn main() -> ExitCode {
    let env = match parse_agent_env(&|key| std::env::var(key).ok()) {
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

/// The release name reported in `User-Agent` (AP §6.2): the image's baked-in
/// `DISTR_AGENT_VERSION_NAME` (the image tag), else this build's version.
fn release_name() -> String {
    std::env::var("DISTR_AGENT_VERSION_NAME")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_owned())
}

fn build_adapters(env: &AgentEnv) -> Result<DockerAdapters, String> {
    let hub = distr_hub_client::HubClient::new(distr_hub_client::HubClientConfig {
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
