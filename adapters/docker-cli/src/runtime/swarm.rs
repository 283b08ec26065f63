//! `docker stack` apply, uninstall and force restart.

use std::path::{Path, PathBuf};

use distr_domain::agent::{compose_project_name, parse_dotenv};
use distr_domain::compose::strip_compose_name;
use distr_domain::protocol::AgentDeployment;
use distr_ports::agent::DockerError;

use super::{CliDockerRuntime, compose_text};
use crate::command::{failure_text, run_checked};

impl CliDockerRuntime {
    /// Checks the swarm, then `docker stack deploy --compose-file -
    /// --with-registry-auth --detach=true <project>` with the name-less YAML
    /// on stdin and the dotenv pairs in the environment.
    pub(super) async fn swarm_apply(
        &self,
        deployment: &AgentDeployment,
        docker_config: Option<&Path>,
    ) -> Result<String, DockerError> {
        self.require_active_swarm().await?;
        let project = compose_project_name(deployment).map_err(|e| DockerError(e.to_string()))?;
        let yaml = std::str::from_utf8(compose_text(deployment)?)
            .map_err(|_| DockerError("compose file is not UTF-8".to_owned()))?;
        let yaml = strip_compose_name(yaml).map_err(|e| DockerError(e.to_string()))?;
        let env_pairs = match &deployment.env_file {
            Some(bytes) => {
                let text = std::str::from_utf8(bytes)
                    .map_err(|_| DockerError("env file is not UTF-8".to_owned()))?;
                parse_dotenv(text).map_err(|e| DockerError(e.to_string()))?
            }
            None => Vec::new(),
        };
        let mut cmd = self.docker(
            [
                "stack",
                "deploy",
                "--compose-file",
                "-",
                "--with-registry-auth",
                "--detach=true",
                project.as_str(),
            ],
            None,
        );
        // Dotenv pairs first so a DOCKER_CONFIG in the env file cannot
        // redirect the registry credentials.
        cmd.env.extend(env_pairs);
        if let Some(dir) = docker_config {
            cmd.env
                .push(("DOCKER_CONFIG".to_owned(), dir.display().to_string()));
        }
        cmd.stdin = Some(yaml.into_bytes());
        cmd.cwd = Some(PathBuf::from("/"));
        run_checked(self.runner.as_ref(), &cmd, "").await
    }

    /// `docker info --format {{.Swarm.LocalNodeState}}` must say `active`.
    async fn require_active_swarm(&self) -> Result<(), DockerError> {
        let cmd = self.docker(["info", "--format", "{{.Swarm.LocalNodeState}}"], None);
        let output = self
            .runner
            .run(&cmd)
            .await
            .map_err(|e| DockerError(format!("docker Swarm not initialized: {e}")))?;
        let text = output.combined();
        // Whole words: "inactive" contains "active" (upstream's check passes it).
        if output.success() && text.split_whitespace().any(|word| word == "active") {
            Ok(())
        } else {
            Err(DockerError(format!(
                "docker Swarm not initialized: {}",
                text.trim()
            )))
        }
    }

    /// `docker stack rm <p>`, then `docker network prune -f`, whose failure is
    /// only a warning.
    pub(super) async fn swarm_uninstall(&self, project: &str) -> Result<(), DockerError> {
        let cmd = self.docker(["stack", "rm", project], None);
        run_checked(self.runner.as_ref(), &cmd, "docker stack rm failed").await?;
        let prune = self.docker(["network", "prune", "-f"], None);
        match self.runner.run(&prune).await {
            Ok(output) if output.success() => {}
            Ok(output) => tracing::warn!(
                project,
                error = %failure_text("docker network prune failed", &prune, &output),
                "network prune after stack removal failed"
            ),
            Err(e) => tracing::warn!(project, error = %e, "cannot run docker network prune"),
        }
        Ok(())
    }

    /// `docker service update --force --with-registry-auth --detach <svc>` for
    /// every service of the stack; failures are collected, not short-circuited.
    pub(super) async fn swarm_restart(
        &self,
        project: &str,
        docker_config: Option<&Path>,
    ) -> Result<(), DockerError> {
        let list = self.docker(
            ["stack", "services", "--format", "{{.Name}}", project],
            None,
        );
        let names =
            run_checked(self.runner.as_ref(), &list, "docker stack services failed").await?;
        let mut failures = Vec::new();
        for service in names.lines().map(str::trim).filter(|s| !s.is_empty()) {
            let cmd = self.docker(
                [
                    "service",
                    "update",
                    "--force",
                    "--with-registry-auth",
                    "--detach",
                    service,
                ],
                docker_config,
            );
            if let Err(e) = run_checked(self.runner.as_ref(), &cmd, service).await {
                failures.push(e.0);
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(DockerError(format!(
                "force restart failed: {}",
                failures.join("; ")
            )))
        }
    }
}
