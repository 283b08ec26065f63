//! [`DockerRuntime`] over the `docker` CLI (AP §7.4, §7.6, §7.7).

mod compose;
mod swarm;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use distr_domain::agent::DockerRecord;
use distr_domain::deployment::DockerType;
use distr_domain::protocol::AgentDeployment;
use distr_ports::agent::{DockerError, DockerRuntime};

use crate::TARGET_SECRET_ENV;
use crate::command::{CommandRunner, CommandSpec};

/// Compose and swarm through `docker` subprocesses.
///
/// Every command inherits the agent's environment minus
/// `DISTR_TARGET_SECRET` (AP §11 note 3), plus `DOCKER_CONFIG` when the
/// caller passes a registry-credentials directory.
#[derive(Debug, Clone)]
pub struct CliDockerRuntime {
    runner: Arc<dyn CommandRunner>,
    program: String,
    env_file_dir: PathBuf,
}

impl CliDockerRuntime {
    /// A runtime running `docker` through `runner`; env files go to the
    /// system temp directory.
    #[must_use]
    pub fn new(runner: Arc<dyn CommandRunner>) -> Self {
        Self {
            runner,
            program: "docker".to_owned(),
            env_file_dir: std::env::temp_dir(),
        }
    }

    /// Writes the temporary env files of compose applies into `dir` instead.
    #[must_use]
    pub fn with_env_file_dir(mut self, dir: PathBuf) -> Self {
        self.env_file_dir = dir;
        self
    }

    /// Uses another docker executable (a path or a name on `PATH`).
    #[must_use]
    pub fn with_program(mut self, program: &str) -> Self {
        program.clone_into(&mut self.program);
        self
    }

    /// A docker command with the agent's environment minus the target
    /// secret, plus `DOCKER_CONFIG` when given.
    fn docker<I, S>(&self, args: I, docker_config: Option<&Path>) -> CommandSpec
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut cmd = CommandSpec::new(&self.program, args);
        cmd.env_remove.push(TARGET_SECRET_ENV.to_owned());
        if let Some(dir) = docker_config {
            cmd.env
                .push(("DOCKER_CONFIG".to_owned(), dir.display().to_string()));
        }
        cmd
    }
}

/// The compose file as text; the CLI reads it from stdin.
fn compose_text(deployment: &AgentDeployment) -> Result<&[u8], DockerError> {
    deployment
        .compose_file
        .as_deref()
        .ok_or_else(|| DockerError("deployment has no compose file".to_owned()))
}

#[async_trait]
impl DockerRuntime for CliDockerRuntime {
    async fn apply(
        &self,
        deployment: &AgentDeployment,
        docker_config: Option<&Path>,
    ) -> Result<String, DockerError> {
        match deployment.docker_type {
            Some(DockerType::Compose) => self.compose_apply(deployment, docker_config).await,
            Some(DockerType::Swarm) => self.swarm_apply(deployment, docker_config).await,
            None => Err(DockerError("deployment has no docker type".to_owned())),
        }
    }

    async fn uninstall(&self, record: &DockerRecord) -> Result<(), DockerError> {
        match record.docker_type {
            DockerType::Compose => self.compose_uninstall(&record.project_name).await,
            DockerType::Swarm => self.swarm_uninstall(&record.project_name).await,
        }
    }

    async fn force_restart(
        &self,
        record: &DockerRecord,
        docker_config: Option<&Path>,
    ) -> Result<(), DockerError> {
        match record.docker_type {
            DockerType::Compose => {
                self.compose_restart(&record.project_name, docker_config)
                    .await
            }
            DockerType::Swarm => {
                self.swarm_restart(&record.project_name, docker_config)
                    .await
            }
        }
    }
}

#[cfg(test)]
mod tests;
