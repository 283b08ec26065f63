//! Per-deployment registry credentials (AP §7.3).
//!
//! Instead of running `docker login`, the agent writes the Docker
//! `config.json` itself: the CLI reads exactly that format, no credential
//! helper or daemon round trip is involved, and removing a host that
//! disappeared from `registryAuth` is just leaving it out of the file. The
//! optional `GET /v2/` pre-check of the Distr-registry login (a SHOULD) is
//! skipped: a bad token surfaces as the pull error of the apply, which
//! carries the registry's answer.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use distr_domain::agent::{docker_config_json, needs_docker_config_override, registry_entries};
use distr_domain::ids::DeploymentId;
use distr_domain::protocol::AgentDeployment;
use distr_ports::agent::{DockerError, RegistryAuthenticator};

use crate::fs_util::{ensure_private_dir, write_atomic};

/// Writes `<tmp_root>/<deployment id>/docker/config.json`.
///
/// The docker CLI looks for plugins (`docker compose`) in
/// `$DOCKER_CONFIG/cli-plugins` before the system directories, so each
/// config directory also gets a `cli-plugins` symlink to the agent's own
/// plugin directory: overriding `DOCKER_CONFIG` changes the credentials,
/// never which compose binary runs.
#[derive(Debug, Clone)]
pub struct DockerRegistryAuth {
    tmp_root: PathBuf,
    registry_host: String,
    cli_plugins: Option<PathBuf>,
}

impl DockerRegistryAuth {
    /// `registry_host` is `DISTR_REGISTRY_HOST`; empty means no Distr
    /// registry entry is ever written (AP §11f).
    #[must_use]
    pub fn new(tmp_root: PathBuf, registry_host: &str) -> Self {
        Self {
            tmp_root,
            registry_host: registry_host.trim().to_owned(),
            cli_plugins: default_cli_plugins_dir(),
        }
    }

    /// Links config directories' `cli-plugins` to `dir` instead of the
    /// agent's own (`$DOCKER_CONFIG/cli-plugins`, else
    /// `$HOME/.docker/cli-plugins`); `None` links nothing.
    #[must_use]
    pub fn with_cli_plugins_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.cli_plugins = dir;
        self
    }

    /// `<tmp_root>/<id>/docker`: the `DOCKER_CONFIG` of a deployment.
    #[must_use]
    pub fn config_dir(&self, id: DeploymentId) -> PathBuf {
        self.tmp_root.join(id.to_string()).join("docker")
    }

    /// Removes the credentials of an uninstalled deployment; a missing
    /// directory is fine.
    ///
    /// # Errors
    /// When the directory exists but cannot be removed.
    pub async fn forget(&self, id: DeploymentId) -> Result<(), DockerError> {
        let dir = self.tmp_root.join(id.to_string());
        match tokio::fs::remove_dir_all(&dir).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(DockerError(format!(
                "cannot remove registry credentials {}: {e}",
                dir.display()
            ))),
        }
    }

    fn login_error(host: &str, detail: &str) -> DockerError {
        DockerError(format!("docker login failed for {host}: {detail}"))
    }
}

/// The plugin directory the docker CLI uses without an override.
fn default_cli_plugins_dir() -> Option<PathBuf> {
    let config = match std::env::var_os("DOCKER_CONFIG") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".docker"),
    };
    Some(config.join("cli-plugins"))
}

/// Links `<dir>/cli-plugins` to `plugins` when that exists and the link does
/// not. A failure only loses plugins that the system directories may still
/// provide, so it is logged, not returned.
async fn link_cli_plugins(dir: &Path, plugins: &Path) {
    let link = dir.join("cli-plugins");
    if tokio::fs::symlink_metadata(&link).await.is_ok()
        || !tokio::fs::metadata(plugins).await.is_ok_and(|m| m.is_dir())
    {
        return;
    }
    if let Err(e) = tokio::fs::symlink(plugins, &link).await {
        tracing::warn!(link = %link.display(), error = %e, "cannot link docker cli-plugins");
    }
}

/// Writes `bytes` only when the file's content differs, so an unchanged
/// config is not rewritten every tick.
async fn write_if_changed(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match tokio::fs::read(file).await {
        Ok(existing) if existing == bytes => Ok(()),
        _ => write_atomic(file, bytes).await,
    }
}

#[async_trait]
impl RegistryAuthenticator for DockerRegistryAuth {
    async fn prepare(
        &self,
        deployment: &AgentDeployment,
        hub_token: Option<&str>,
    ) -> Result<Option<PathBuf>, DockerError> {
        let entries = registry_entries(deployment, &self.registry_host, hub_token)
            .ok_or_else(|| Self::login_error(&self.registry_host, "no agent token"))?;
        let dir = self.config_dir(deployment.id);
        // Writing the file is the "login" of every host at once.
        let host_for_errors = if self.registry_host.is_empty() {
            entries.keys().cloned().collect::<Vec<_>>().join(", ")
        } else {
            self.registry_host.clone()
        };
        ensure_private_dir(&dir).await.map_err(|e| {
            Self::login_error(
                &host_for_errors,
                &format!("cannot create {}: {e}", dir.display()),
            )
        })?;
        if let Some(plugins) = &self.cli_plugins {
            link_cli_plugins(&dir, plugins).await;
        }
        let file = dir.join("config.json");
        write_if_changed(&file, &docker_config_json(&entries))
            .await
            .map_err(|e| {
                Self::login_error(
                    &host_for_errors,
                    &format!("cannot write {}: {e}", file.display()),
                )
            })?;
        Ok(needs_docker_config_override(deployment, &self.registry_host).then_some(dir))
    }
}

#[cfg(test)]
mod tests;
