//! What both agent binaries do around the loop: the wall clock, the release
//! name they report, logging set-up, the async runtime and the shutdown
//! signal.

use std::future::Future;
use std::process::ExitCode;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::SelfLogLayer;

/// The variable an agent image bakes its tag into (AP §6.2).
pub const VERSION_NAME_VAR: &str = "DISTR_AGENT_VERSION_NAME";

/// Wall-clock time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl distr_ports::Clock for SystemClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }
}

/// The release name reported in `User-Agent` (AP §6.2): the image's baked-in
/// name (the image tag) when it is set and not blank, else `build_version`.
#[must_use]
pub fn release_name(baked_in: Option<&str>, build_version: &str) -> String {
    baked_in
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or(build_version)
        .to_owned()
}

/// [`release_name`] read from the process environment.
#[must_use]
pub fn release_name_from_env(build_version: &str) -> String {
    release_name(
        std::env::var(VERSION_NAME_VAR).ok().as_deref(),
        build_version,
    )
}

/// Installs the global subscriber: human-readable lines on stderr filtered by
/// `RUST_LOG` (default `info`), and `self_logs` fed with the agent's own
/// records only (targets starting with `distr`), never its HTTP stack's.
pub fn init_logging(self_logs: SelfLogLayer) {
    let own_records =
        tracing_subscriber::filter::filter_fn(|meta| meta.target().starts_with("distr"));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        ))
        .with(self_logs.with_filter(own_records))
        .init();
}

/// Runs `agent` on a multi-threaded runtime; a runtime that cannot start is
/// reported on stderr and exits with failure.
pub fn run_on_runtime(agent: impl Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(agent),
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Completes at the first SIGINT or SIGTERM. An agent runs as PID 1 in its
/// container, where an unhandled SIGTERM is ignored, so `docker stop` would
/// otherwise wait for its kill timeout.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received; stopping"),
        () = terminate() => tracing::info!("SIGTERM received; stopping"),
    }
}

#[cfg(unix)]
async fn terminate() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(err) => {
            tracing::warn!(error = %err, "cannot listen for SIGTERM");
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending::<()>().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_baked_in_name_wins_when_it_is_not_blank() {
        assert_eq!(release_name(Some(" 2.7.1\n"), "2.8.0"), "2.7.1");
        assert_eq!(release_name(Some("  "), "2.8.0"), "2.8.0");
        assert_eq!(release_name(None, "2.8.0"), "2.8.0");
    }

    #[test]
    fn the_system_clock_tells_the_current_time() {
        use distr_ports::Clock;
        let before = chrono::Utc::now();
        let now = SystemClock.now();
        assert!(now >= before);
        assert!(now <= chrono::Utc::now());
    }
}
