//! `serve`: startup (lock, migrations, secrets, agent version), the listener,
//! and graceful shutdown (HS §6.1, §6.3, §6.4).

mod lock;
mod shutdown;

pub use lock::{DbLock, LockError};

use std::net::SocketAddr;
use std::sync::Arc;

use distr_domain::ids::AgentVersionId;
use distr_domain::target::AgentVersion;
use distr_ports::{ChangeFeed, Clock, Store};
use distr_sql_store::PgChangeFeed;

use crate::changes::LocalChangeFeed;
use crate::clock::SystemClock;
use crate::config::LoadedConfig;
use crate::rate_limit::RateLimits;
use crate::router::{Readiness, build_router_with};
use crate::state::AppState;

/// A failure while starting or running the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Another `serve` holds the SQLite database.
    #[error(transparent)]
    Locked(#[from] LockError),
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Database(String),
    /// Secrets could not be resolved (for example a key mismatch).
    #[error(transparent)]
    Secrets(#[from] crate::config::secrets::SecretsError),
    /// A store call failed.
    #[error("store: {0}")]
    Store(#[from] distr_ports::StoreError),
    /// The listener could not be bound.
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        reason: String,
    },
}

/// Registers `name` idempotently and returns the stored row.
///
/// # Errors
/// Store failures.
pub async fn register_agent_version(
    store: &dyn Store,
    clock: &dyn Clock,
    name: &str,
    docker_image_repository: Option<String>,
    kubernetes_image_repository: Option<String>,
) -> Result<AgentVersion, distr_ports::StoreError> {
    let version = AgentVersion {
        id: AgentVersionId::from_uuid(uuid::Uuid::now_v7()),
        created_at: clock.now(),
        name: name.to_owned(),
        docker_image_repository,
        kubernetes_image_repository,
    };
    store.upsert_agent_version(&version).await
}

/// The exact command an operator runs on first start.
#[must_use]
pub fn first_run_hint() -> String {
    "distr-hub admin create --org-name '<organization>' --email '<you@example.com>' --name '<your name>' \
     --generate-password"
        .to_owned()
}

/// Runs `serve` until shutdown completes.
///
/// # Errors
/// Startup failures; a running server only ends through shutdown.
pub async fn serve(loaded: LoadedConfig, no_migrate: bool) -> Result<(), ServeError> {
    let mut config = loaded.hub;
    let _lock = match config.sqlite_path() {
        Some(path) => Some(DbLock::acquire(&path)?),
        None => None,
    };
    let store = crate::cli::open_store(&config)
        .await
        .map_err(|e| ServeError::Database(e.to_string()))?;
    if !no_migrate {
        let applied = store
            .migrate()
            .await
            .map_err(|e| ServeError::Database(e.to_string()))?;
        if !applied.is_empty() {
            tracing::info!(count = applied.len(), "applied migrations");
        }
    }
    let changes: Arc<dyn ChangeFeed> = if config.is_postgres() {
        // One LISTEN connection per replica, so every replica's long-polls wake (HS §6.2).
        Arc::new(
            PgChangeFeed::start(&config.database_url, store.clone())
                .await
                .map_err(|e| ServeError::Database(e.to_string()))?,
        )
    } else {
        Arc::new(LocalChangeFeed::new())
    };
    let metrics = Arc::new(crate::metrics::Metrics::new());
    metrics.observe_pool(store.clone());
    let store: Arc<dyn Store> = Arc::new(store);
    let secrets = crate::config::secrets::resolve(&loaded.secrets, &config, store.as_ref()).await?;
    config.jwt_secret = secrets.jwt_secret;
    let clock = Arc::new(SystemClock::new());
    let version = register_agent_version(
        store.as_ref(),
        clock.as_ref(),
        &config.hub_agent_version,
        None,
        None,
    )
    .await?;
    tracing::info!(agent_version = %version.name, "registered the hub's agent version");
    warn_about_config(&config);
    if store.count_organizations().await? == 0 {
        tracing::warn!(command = %first_run_hint(), "no organization exists yet; create the first one with this command");
    }

    let (listener, local) = bind(config.listen_addr).await?;
    let metrics_listener = match config.metrics_listen_addr {
        Some(addr) => Some(bind(addr).await?),
        None => None,
    };
    let (shutdown_tx, shutdown_rx) = tokio::sync::watch::channel(false);
    let config = Arc::new(config);
    let retention = crate::retention::Runner::new(
        Arc::clone(&store),
        clock.clone(),
        Arc::clone(&config),
        Arc::clone(&metrics) as Arc<dyn crate::retention::RetentionObserver>,
    );
    let retention_jobs = crate::retention::schedule::spawn(&retention, &shutdown_rx);
    let state = AppState {
        rate_limits: Arc::new(RateLimits::new(config.rate_limit_enabled)),
        store,
        clock,
        cipher: secrets.cipher,
        passwords: Arc::new(distr_crypto::Argon2PasswordHasher::new()),
        target_secrets: Arc::new(distr_crypto::Argon2TargetSecrets::new()),
        changes,
        metrics,
        shutdown: shutdown_rx,
        config: Arc::clone(&config),
    };
    let metrics_server =
        metrics_listener.map(|(listener, addr)| spawn_metrics_listener(listener, addr, &state));
    let readiness = Readiness::default();
    let app = build_router_with(state, readiness.clone());
    tracing::info!(address = %local, "listening");
    shutdown::run(listener, app, readiness, shutdown_tx, &config).await;
    if let Some(server) = metrics_server
        && tokio::time::timeout(config.shutdown_grace_period, server)
            .await
            .is_err()
    {
        tracing::warn!("metrics listener did not drain within the grace period");
    }
    // Retention runs stop at their next batch boundary (HS §6.4 step 7).
    for job in retention_jobs {
        let _ = job.await;
    }
    tracing::info!("shutdown complete");
    Ok(())
}

async fn bind(addr: SocketAddr) -> Result<(tokio::net::TcpListener, SocketAddr), ServeError> {
    let fail = |e: std::io::Error| ServeError::Bind {
        addr,
        reason: e.to_string(),
    };
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(fail)?;
    let local = listener.local_addr().map_err(fail)?;
    Ok((listener, local))
}

/// Serves only `/metrics` on its own listener (`METRICS_LISTEN_ADDR`) until
/// shutdown starts, then drains like the main listener.
fn spawn_metrics_listener(
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    state: &AppState,
) -> tokio::task::JoinHandle<()> {
    let app = crate::router::build_metrics_router(state.clone());
    let mut shutdown = state.shutdown.clone();
    tracing::info!(address = %addr, "metrics listening");
    tokio::spawn(async move {
        let stop = async move {
            // Shutdown started, or its sender is gone: stop either way.
            let _ = shutdown.wait_for(|down| *down).await;
        };
        if let Err(err) = axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::error!(error = %err, "metrics listener failed");
        }
    })
}

fn warn_about_config(config: &crate::config::HubConfig) {
    let host = config.distr_host.as_str();
    if ["://localhost", "://127.", "://[::1]"]
        .iter()
        .any(|p| host.contains(p))
    {
        tracing::warn!(distr_host = %host, "DISTR_HOST is a loopback address; agents on other hosts cannot reach it");
    }
}
