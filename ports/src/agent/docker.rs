use std::path::{Path, PathBuf};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::agent::{ContainerState, DockerRecord, ServiceState, WorkloadLogLine};
use distr_domain::protocol::AgentDeployment;

/// A failure of the docker CLI or engine. The text is what the agent posts as
/// the `error` status message, so it carries the CLI output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DockerError(pub String);

/// Compose and swarm operations through the docker CLI (AP §7.4, §7.6, §7.7).
#[async_trait]
pub trait DockerRuntime: Send + Sync + std::fmt::Debug {
    /// Applies a deployment: compose `up -d` (env file in a temp file) or
    /// swarm `stack deploy` (after checking the swarm is active). `docker_config`
    /// overrides `DOCKER_CONFIG` when set. Returns the combined CLI output.
    async fn apply(
        &self,
        deployment: &AgentDeployment,
        docker_config: Option<&Path>,
    ) -> Result<String, DockerError>;

    /// compose `down --volumes`, or `stack rm` + `network prune -f`.
    async fn uninstall(&self, record: &DockerRecord) -> Result<(), DockerError>;

    /// Restarts every service of the project (compose restart / swarm force update).
    async fn force_restart(
        &self,
        record: &DockerRecord,
        docker_config: Option<&Path>,
    ) -> Result<(), DockerError>;
}

/// Read access to the Docker Engine (bollard).
#[async_trait]
pub trait DockerEngine: Send + Sync + std::fmt::Debug {
    /// All containers of a compose project, stopped ones included.
    async fn project_containers(&self, project: &str) -> Result<Vec<ContainerState>, DockerError>;

    /// Services labelled `com.docker.stack.namespace=<project>`, with service status requested.
    async fn stack_services(&self, project: &str) -> Result<Vec<ServiceState>, DockerError>;

    /// Log lines of a project (compose) or stack (swarm) since `since`, with timestamps.
    async fn logs_since(
        &self,
        record: &DockerRecord,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, DockerError>;
}

/// Registry credentials per deployment (AP §7.3).
#[async_trait]
pub trait RegistryAuthenticator: Send + Sync + std::fmt::Debug {
    /// Writes/refreshes `<tmp>/<deployment id>/docker/config.json` (Distr
    /// registry with the current JWT when a registry host is configured;
    /// license registries from `registryAuth`) and returns the directory to use
    /// as `DOCKER_CONFIG`, or `None` when the host config must be used.
    async fn prepare(
        &self,
        deployment: &AgentDeployment,
        hub_token: Option<&str>,
    ) -> Result<Option<PathBuf>, DockerError>;
}

/// Self-update by a helper container from the new image (AP §7.10).
#[async_trait]
pub trait SelfUpdater: Send + Sync + std::fmt::Debug {
    /// Patches the manifest with the agent's own secret, writes
    /// `<scratch>/distr-update.yaml` and starts the helper. `Ok` once
    /// `docker run` succeeded.
    async fn self_update(&self, manifest_yaml: &str) -> Result<(), DockerError>;
}
