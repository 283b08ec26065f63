//! Fake docker CLI runtime and engine.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::agent::{ContainerState, DockerRecord, ServiceState, WorkloadLogLine};
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_domain::protocol::AgentDeployment;
use distr_ports::agent::{DockerEngine, DockerError, DockerRuntime};

use super::lock;

/// A call the runtime received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeCall {
    /// `apply` of a revision, with the `DOCKER_CONFIG` override.
    Apply {
        /// Deployment.
        deployment: DeploymentId,
        /// Revision applied.
        revision: RevisionId,
        /// `DOCKER_CONFIG` override.
        docker_config: Option<PathBuf>,
    },
    /// `uninstall` of a project.
    Uninstall {
        /// Deployment.
        deployment: DeploymentId,
        /// Project name.
        project: String,
    },
    /// `force_restart` of a project.
    Restart {
        /// Deployment.
        deployment: DeploymentId,
        /// Project name.
        project: String,
    },
}

#[derive(Debug, Default)]
struct RuntimeState {
    calls: Vec<RuntimeCall>,
    output: String,
    apply_delay: Duration,
    fail_apply: HashMap<DeploymentId, String>,
    fail_uninstall: HashSet<DeploymentId>,
    fail_restart: HashSet<DeploymentId>,
}

/// A [`DockerRuntime`] that records calls; applies succeed with a fixed
/// output unless scripted to fail.
#[derive(Debug, Clone, Default)]
pub struct FakeDockerRuntime {
    state: Arc<Mutex<RuntimeState>>,
}

impl FakeDockerRuntime {
    /// A runtime whose applies print `Container started`.
    #[must_use]
    pub fn new() -> Self {
        let runtime = Self::default();
        lock(&runtime.state).output = "Container started".to_owned();
        runtime
    }

    /// Every call so far.
    #[must_use]
    pub fn calls(&self) -> Vec<RuntimeCall> {
        lock(&self.state).calls.clone()
    }

    /// Number of applies so far.
    #[must_use]
    pub fn apply_count(&self) -> usize {
        self.calls()
            .iter()
            .filter(|c| matches!(c, RuntimeCall::Apply { .. }))
            .count()
    }

    /// The output of successful applies.
    pub fn set_output(&self, output: &str) {
        output.clone_into(&mut lock(&self.state).output);
    }

    /// Makes every apply take `delay` (tokio time).
    pub fn set_apply_delay(&self, delay: Duration) {
        lock(&self.state).apply_delay = delay;
    }

    /// Makes applies of `deployment` fail with `text`.
    pub fn fail_apply(&self, deployment: DeploymentId, text: &str) {
        lock(&self.state)
            .fail_apply
            .insert(deployment, text.to_owned());
    }

    /// Makes uninstalls of `deployment` fail (or succeed again).
    pub fn fail_uninstall(&self, deployment: DeploymentId, fail: bool) {
        let mut state = lock(&self.state);
        if fail {
            state.fail_uninstall.insert(deployment);
        } else {
            state.fail_uninstall.remove(&deployment);
        }
    }

    /// Makes restarts of `deployment` fail.
    pub fn fail_restart(&self, deployment: DeploymentId) {
        lock(&self.state).fail_restart.insert(deployment);
    }
}

#[async_trait]
impl DockerRuntime for FakeDockerRuntime {
    async fn apply(
        &self,
        deployment: &AgentDeployment,
        docker_config: Option<&Path>,
    ) -> Result<String, DockerError> {
        let delay = {
            let mut state = lock(&self.state);
            state.calls.push(RuntimeCall::Apply {
                deployment: deployment.id,
                revision: deployment.revision_id,
                docker_config: docker_config.map(Path::to_path_buf),
            });
            state.apply_delay
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let state = lock(&self.state);
        match state.fail_apply.get(&deployment.id) {
            Some(text) => Err(DockerError(text.clone())),
            None => Ok(state.output.clone()),
        }
    }

    async fn uninstall(&self, record: &DockerRecord) -> Result<(), DockerError> {
        let mut state = lock(&self.state);
        state.calls.push(RuntimeCall::Uninstall {
            deployment: record.id,
            project: record.project_name.clone(),
        });
        if state.fail_uninstall.contains(&record.id) {
            Err(DockerError("scripted uninstall failure".to_owned()))
        } else {
            Ok(())
        }
    }

    async fn force_restart(
        &self,
        record: &DockerRecord,
        _docker_config: Option<&Path>,
    ) -> Result<(), DockerError> {
        let mut state = lock(&self.state);
        state.calls.push(RuntimeCall::Restart {
            deployment: record.id,
            project: record.project_name.clone(),
        });
        if state.fail_restart.contains(&record.id) {
            Err(DockerError("scripted restart failure".to_owned()))
        } else {
            Ok(())
        }
    }
}

#[derive(Debug, Default)]
struct EngineState {
    containers: HashMap<String, Result<Vec<ContainerState>, String>>,
    services: HashMap<String, Result<Vec<ServiceState>, String>>,
    logs: HashMap<DeploymentId, Result<Vec<WorkloadLogLine>, String>>,
    log_calls: Vec<(DeploymentId, DateTime<Utc>)>,
}

/// A [`DockerEngine`] answering from scripted containers, services and log
/// lines. Unknown projects have no containers and no services.
#[derive(Debug, Clone, Default)]
pub struct FakeDockerEngine {
    state: Arc<Mutex<EngineState>>,
}

impl FakeDockerEngine {
    /// An engine without containers.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The containers (or a failure) of a compose project.
    pub fn set_containers(&self, project: &str, containers: Result<Vec<ContainerState>, String>) {
        lock(&self.state)
            .containers
            .insert(project.to_owned(), containers);
    }

    /// The services (or a failure) of a swarm stack.
    pub fn set_services(&self, project: &str, services: Result<Vec<ServiceState>, String>) {
        lock(&self.state)
            .services
            .insert(project.to_owned(), services);
    }

    /// The lines (or a failure) the next log collections of a deployment return.
    pub fn set_logs(&self, deployment: DeploymentId, lines: Result<Vec<WorkloadLogLine>, String>) {
        lock(&self.state).logs.insert(deployment, lines);
    }

    /// Every log collection so far: deployment and `since`.
    #[must_use]
    pub fn log_calls(&self) -> Vec<(DeploymentId, DateTime<Utc>)> {
        lock(&self.state).log_calls.clone()
    }
}

#[async_trait]
impl DockerEngine for FakeDockerEngine {
    async fn project_containers(&self, project: &str) -> Result<Vec<ContainerState>, DockerError> {
        lock(&self.state)
            .containers
            .get(project)
            .cloned()
            .unwrap_or_else(|| Ok(Vec::new()))
            .map_err(DockerError)
    }

    async fn stack_services(&self, project: &str) -> Result<Vec<ServiceState>, DockerError> {
        lock(&self.state)
            .services
            .get(project)
            .cloned()
            .unwrap_or_else(|| Ok(Vec::new()))
            .map_err(DockerError)
    }

    async fn logs_since(
        &self,
        record: &DockerRecord,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, DockerError> {
        let mut state = lock(&self.state);
        state.log_calls.push((record.id, since));
        state
            .logs
            .get(&record.id)
            .cloned()
            .unwrap_or_else(|| Ok(Vec::new()))
            .map_err(DockerError)
    }
}
