//! Graceful shutdown (HS §6.4): `/ready` 503 at once, wait `SHUTDOWN_DELAY`,
//! release held long-polls, stop accepting, drain up to
//! `SHUTDOWN_GRACE_PERIOD`; a second signal exits with 130.

use std::net::SocketAddr;

use axum::Router;
use tokio::sync::{oneshot, watch};

use crate::config::HubConfig;
use crate::router::Readiness;

/// Exit code of a second signal.
pub const FORCED_EXIT: i32 = 130;

/// Waits for SIGTERM or SIGINT.
async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves `app` on `listener` until a signal, then shuts down in order.
pub async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    readiness: Readiness,
    shutdown: watch::Sender<bool>,
    config: &HubConfig,
) {
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, service).with_graceful_shutdown(async move {
        let _ = stop_rx.await;
    });
    let mut server = tokio::spawn(async move { server.await });

    tokio::select! {
        () = signal() => {}
        result = &mut server => {
            if let Ok(Err(err)) = result {
                tracing::error!(error = %err, "server failed");
            }
            return;
        }
    }
    tracing::info!(
        delay_ms = config.shutdown_delay.as_millis(),
        "shutdown started; no longer ready"
    );
    readiness.set_draining();
    // From here on a second signal exits at once.
    tokio::spawn(async {
        signal().await;
        tracing::warn!("second signal: exiting now");
        std::process::exit(FORCED_EXIT);
    });
    tokio::time::sleep(config.shutdown_delay).await;
    let _ = shutdown.send(true);
    let _ = stop_tx.send(());
    match tokio::time::timeout(config.shutdown_grace_period, &mut server).await {
        Ok(_) => tracing::info!("in-flight requests drained"),
        Err(_) => {
            tracing::warn!("shutdown grace period over; dropping remaining connections");
            server.abort();
        }
    }
}
