//! The ports the helm agent runs on, chosen by `main` (or by tests).

use std::sync::Arc;

use distr_ports::Clock;
use distr_ports::agent::{
    HelmRuntime, HelmStateStore, HostMetrics, HubApi, ManifestApplier, PullSecrets, WorkloadHealth,
    WorkloadLogs, WorkloadRestarter,
};

/// Every adapter of the helm agent.
#[derive(Debug, Clone)]
pub struct HelmAdapters {
    /// The Hub's agent API.
    pub hub: Arc<dyn HubApi>,
    /// Helm releases.
    pub helm: Arc<dyn HelmRuntime>,
    /// The state Secrets (shared with the log collector).
    pub state: Arc<dyn HelmStateStore>,
    /// Image pull Secrets.
    pub pull_secrets: Arc<dyn PullSecrets>,
    /// Readiness of release workloads.
    pub health: Arc<dyn WorkloadHealth>,
    /// Force restart of release workloads.
    pub restarter: Arc<dyn WorkloadRestarter>,
    /// Pod logs of release workloads.
    pub logs: Arc<dyn WorkloadLogs>,
    /// Self-update by applying the Hub's manifest.
    pub applier: Arc<dyn ManifestApplier>,
    /// Node metrics (cluster scope).
    pub metrics: Arc<dyn HostMetrics>,
    /// Wall-clock time (log windows, restart annotations).
    pub clock: Arc<dyn Clock>,
}
