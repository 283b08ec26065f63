//! `docker compose` apply, uninstall and restart.

use std::io::Write;
use std::path::{Path, PathBuf};

use distr_domain::protocol::AgentDeployment;
use distr_ports::agent::DockerError;

use super::{CliDockerRuntime, compose_text};
use crate::command::run_checked;

impl CliDockerRuntime {
    /// `docker compose [--env-file=<tmp>] -f - up -d --quiet-pull` in `/`
    /// with the YAML on stdin. The error text is the CLI output alone, as
    /// upstream reports it.
    pub(super) async fn compose_apply(
        &self,
        deployment: &AgentDeployment,
        docker_config: Option<&Path>,
    ) -> Result<String, DockerError> {
        let yaml = compose_text(deployment)?;
        // Dropped (and so deleted) only after the command finished.
        let env_file = match &deployment.env_file {
            Some(bytes) => Some(self.write_env_file(bytes)?),
            None => None,
        };
        let mut args = vec!["compose".to_owned()];
        if let Some(file) = &env_file {
            args.push(format!("--env-file={}", file.path().display()));
        }
        args.extend(["-f", "-", "up", "-d", "--quiet-pull"].map(str::to_owned));
        let mut cmd = self.docker(args, docker_config);
        cmd.stdin = Some(yaml.to_vec());
        cmd.cwd = Some(PathBuf::from("/"));
        let result = run_checked(self.runner.as_ref(), &cmd, "").await;
        drop(env_file);
        result
    }

    /// `docker compose --project-name <p> down --volumes`: named volumes go too.
    pub(super) async fn compose_uninstall(&self, project: &str) -> Result<(), DockerError> {
        let cmd = self.docker(
            ["compose", "--project-name", project, "down", "--volumes"],
            None,
        );
        run_checked(self.runner.as_ref(), &cmd, "docker compose down failed").await?;
        Ok(())
    }

    /// `docker compose --project-name <p> restart`.
    pub(super) async fn compose_restart(
        &self,
        project: &str,
        docker_config: Option<&Path>,
    ) -> Result<(), DockerError> {
        let cmd = self.docker(
            ["compose", "--project-name", project, "restart"],
            docker_config,
        );
        run_checked(self.runner.as_ref(), &cmd, "docker compose restart failed").await?;
        Ok(())
    }

    /// The env file holds secrets: a 0600 temp file, removed on drop.
    fn write_env_file(&self, bytes: &[u8]) -> Result<tempfile::NamedTempFile, DockerError> {
        let fail = |e: std::io::Error| DockerError(format!("cannot write env file: {e}"));
        let mut file = tempfile::Builder::new()
            .prefix("distr-env-")
            .tempfile_in(&self.env_file_dir)
            .map_err(fail)?;
        file.write_all(bytes).map_err(fail)?;
        file.flush().map_err(fail)?;
        Ok(file)
    }
}
