//! Self-update by a helper container from the new agent image (AP §7.10).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use distr_domain::agent::{manifest_agent_image, patch_update_manifest};
use distr_ports::agent::{DockerError, SelfUpdater};

use crate::TARGET_SECRET_ENV;
use crate::command::{CommandRunner, CommandSpec, run_checked};
use crate::fs_util::write_atomic;

/// The container name of the running agent, whose volumes the helper borrows.
const AGENT_CONTAINER: &str = "distr-agent-1";
/// The update manifest's file name inside the scratch directory.
const UPDATE_FILE: &str = "distr-update.yaml";

/// Writes `<scratch>/distr-update.yaml` and starts the helper with `docker run`.
#[derive(Clone)]
pub struct CliSelfUpdater {
    runner: Arc<dyn CommandRunner>,
    program: String,
    scratch_dir: PathBuf,
    target_secret: String,
    host_docker_config_dir: String,
}

impl CliSelfUpdater {
    /// `target_secret` is the agent's own `DISTR_TARGET_SECRET`;
    /// `host_docker_config_dir` its `HOST_DOCKER_CONFIG_DIR`, handed on to
    /// the helper.
    #[must_use]
    pub fn new(
        runner: Arc<dyn CommandRunner>,
        scratch_dir: PathBuf,
        target_secret: &str,
        host_docker_config_dir: &str,
    ) -> Self {
        Self {
            runner,
            program: "docker".to_owned(),
            scratch_dir,
            target_secret: target_secret.to_owned(),
            host_docker_config_dir: host_docker_config_dir.to_owned(),
        }
    }

    /// Uses another docker executable.
    #[must_use]
    pub fn with_program(mut self, program: &str) -> Self {
        program.clone_into(&mut self.program);
        self
    }

    /// `<scratch>/distr-update.yaml`.
    #[must_use]
    pub fn update_file(&self) -> PathBuf {
        self.scratch_dir.join(UPDATE_FILE)
    }
}

impl fmt::Debug for CliSelfUpdater {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CliSelfUpdater")
            .field("runner", &self.runner)
            .field("program", &self.program)
            .field("scratch_dir", &self.scratch_dir)
            .field("host_docker_config_dir", &self.host_docker_config_dir)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl SelfUpdater for CliSelfUpdater {
    async fn self_update(&self, manifest_yaml: &str) -> Result<(), DockerError> {
        let patched = patch_update_manifest(manifest_yaml, &self.target_secret)
            .map_err(|e| DockerError(format!("self-update: {e}")))?;
        let image =
            manifest_agent_image(&patched).map_err(|e| DockerError(format!("self-update: {e}")))?;
        let file = self.update_file();
        tokio::fs::create_dir_all(&self.scratch_dir)
            .await
            .map_err(|e| {
                DockerError(format!(
                    "self-update: cannot create {}: {e}",
                    self.scratch_dir.display()
                ))
            })?;
        // The manifest now holds the secret: written 0600, atomically.
        write_atomic(&file, patched.as_bytes()).await.map_err(|e| {
            DockerError(format!("self-update: cannot write {}: {e}", file.display()))
        })?;
        let mut cmd = CommandSpec::new(
            &self.program,
            [
                "run".to_owned(),
                "--detach".to_owned(),
                "--rm".to_owned(),
                "--entrypoint".to_owned(),
                "/usr/local/bin/docker-entrypoint.sh".to_owned(),
                "--env".to_owned(),
                format!("HOST_DOCKER_CONFIG_DIR={}", self.host_docker_config_dir),
                "--volumes-from".to_owned(),
                AGENT_CONTAINER.to_owned(),
                image,
                "docker".to_owned(),
                "compose".to_owned(),
                "-f".to_owned(),
                file.display().to_string(),
                "up".to_owned(),
                "-d".to_owned(),
            ],
        );
        cmd.env_remove.push(TARGET_SECRET_ENV.to_owned());
        run_checked(self.runner.as_ref(), &cmd, "self-update: docker run failed").await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
