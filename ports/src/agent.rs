//! Ports of the agents (docker and helm): the Hub as the agent sees it,
//! the container runtime, local state and host metrics.

mod docker;
mod helm;
mod hub;
mod kube;
mod metrics;
mod state;

pub use distr_domain::agent::{ContainerState, ServiceState, WorkloadLogLine};
pub use docker::{DockerEngine, DockerError, DockerRuntime, RegistryAuthenticator, SelfUpdater};
pub use helm::{HelmError, HelmRequest, HelmRuntime};
pub use hub::{HubApi, HubError, Resources};
pub use kube::{
    HelmStateStore, KubeError, ManifestApplier, PullSecrets, WorkloadHealth, WorkloadLogs,
    WorkloadRestarter,
};
pub use metrics::{HostMetrics, MetricsError};
pub use state::{DockerStateStore, StateError};
