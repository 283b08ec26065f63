//! The helm agent's main loop and background tasks.

use std::sync::Arc;

use distr_agent_core::{AgentTimings, DesiredStateSource, LogShipper, TickLoop};
use distr_domain::agent::AgentEnv;

use crate::{ConfigReload, HelmAdapters, HelmLogSource, HelmReconciler, TickOutcome};

/// One tick: obtain the desired state and reconcile; `None` when the fetch
/// failed (see [`DesiredStateSource::fetch_then`]).
pub async fn tick_once(
    source: &DesiredStateSource,
    reconciler: &HelmReconciler,
) -> Option<TickOutcome> {
    source
        .fetch_then(|desired| async move { reconciler.tick(&desired).await })
        .await
}

/// Runs the agent until `shutdown` completes: the tick loop, the long-poll
/// loop (active only against a Hub that sends ETags) and log shipping.
/// Self-log shipping is started by the caller, which owns the subscriber.
/// With `reload`, every tick starts by re-reading the configuration
/// (AP §8.1); `adapters.hub` must then be the `SwappableHub` it replaces.
pub async fn run(
    env: AgentEnv,
    adapters: HelmAdapters,
    timings: AgentTimings,
    reload: Option<ConfigReload>,
    shutdown: impl Future<Output = ()>,
) {
    if env.agent_version_id.trim().is_empty() {
        tracing::warn!("DISTR_AGENT_VERSION_ID is empty; self-update is disabled");
    }
    let source = Arc::new(DesiredStateSource::new(Arc::clone(&adapters.hub), timings));
    let reconciler = HelmReconciler::new(
        adapters.clone(),
        &env.agent_version_id,
        &env.registry_host,
        timings,
    );
    let tick_loop = TickLoop::new(timings.interval);
    let long_poll = tokio::spawn(Arc::clone(&source).run_long_poll(tick_loop.trigger()));
    let shipper = LogShipper::new(
        Arc::clone(&adapters.hub),
        HelmLogSource::new(
            Arc::clone(&adapters.state),
            Arc::clone(&adapters.helm),
            Arc::clone(&adapters.logs),
            reconciler.namespace_handle(),
        ),
        Arc::clone(&adapters.clock),
        timings.log_period,
    );
    let logs = tokio::spawn(shipper.run());
    let ticks = tick_loop.run(|| async {
        if let Some(reload) = &reload {
            reload.reload();
        }
        if tick_once(&source, &reconciler).await == Some(TickOutcome::SelfUpdated) {
            tracing::info!("waiting for the new agent to replace this one");
        }
    });
    tokio::select! {
        () = ticks => {}
        () = shutdown => tracing::info!("kubernetes agent is stopping"),
    }
    long_poll.abort();
    logs.abort();
}
