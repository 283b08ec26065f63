//! The ports the docker agent runs on, chosen by `main` (or by tests).

use std::sync::Arc;

use distr_ports::Clock;
use distr_ports::agent::{
    DockerEngine, DockerRuntime, DockerStateStore, HostMetrics, HubApi, RegistryAuthenticator,
    SelfUpdater,
};

/// Every adapter of the docker agent.
#[derive(Debug, Clone)]
pub struct DockerAdapters {
    /// The Hub's agent API.
    pub hub: Arc<dyn HubApi>,
    /// compose/swarm through the docker CLI.
    pub runtime: Arc<dyn DockerRuntime>,
    /// Docker Engine reads (status checks, logs).
    pub engine: Arc<dyn DockerEngine>,
    /// Per-deployment registry credentials.
    pub registry: Arc<dyn RegistryAuthenticator>,
    /// Self-update by a helper container.
    pub updater: Arc<dyn SelfUpdater>,
    /// The state files (shared with the log collector).
    pub state: Arc<dyn DockerStateStore>,
    /// Host metrics.
    pub metrics: Arc<dyn HostMetrics>,
    /// Wall-clock time for log collection windows.
    pub clock: Arc<dyn Clock>,
}
