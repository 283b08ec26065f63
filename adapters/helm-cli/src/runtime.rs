//! [`CliHelm`]: the `HelmRuntime` port on the helm CLI.

use std::io::Write;
use std::sync::Arc;

use async_trait::async_trait;
use distr_ports::agent::{HelmError, HelmRequest, HelmRuntime};
use distr_subprocess::{CommandOutput, CommandRunner, CommandSpec, failure_text};

use crate::args::{ChartCommand, HelmCliConfig, Operation};
use crate::output::{is_release_not_found, parse_latest_revision, parse_status};

/// The helm 3 CLI as a subprocess.
#[derive(Debug, Clone)]
pub struct CliHelm {
    runner: Arc<dyn CommandRunner>,
    config: HelmCliConfig,
}

impl CliHelm {
    /// Helm through `runner` with `config`.
    #[must_use]
    pub fn new(runner: Arc<dyn CommandRunner>, config: HelmCliConfig) -> Self {
        Self { runner, config }
    }

    /// `helm template` with exactly the chart, values and credentials an
    /// install would use: the rendered manifest, no cluster needed.
    ///
    /// # Errors
    /// Helm's message when rendering fails.
    pub async fn template(&self, request: &HelmRequest<'_>) -> Result<String, HelmError> {
        let output = self.chart_command(Operation::Template, request).await?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    async fn install_or_upgrade(
        &self,
        operation: Operation,
        request: &HelmRequest<'_>,
    ) -> Result<i64, HelmError> {
        let output = self.chart_command(operation, request).await?;
        let status = parse_status(&String::from_utf8_lossy(&output.stdout)).map_err(HelmError)?;
        Ok(status.version)
    }

    /// Writes the values (and, for OCI charts, the registry credentials) to
    /// private temporary files (they hold secrets), runs the command and
    /// removes the files.
    async fn chart_command(
        &self,
        operation: Operation,
        request: &HelmRequest<'_>,
    ) -> Result<CommandOutput, HelmError> {
        let values = serde_json::to_vec(request.values)
            .map_err(|e| HelmError(format!("cannot encode the values: {e}")))?;
        let values_file = private_file("distr-values-", &values)?;
        let registry_file = match request.registry_config {
            Some(config) if request.chart.is_oci() => {
                Some(private_file("distr-registry-", config)?)
            }
            _ => None,
        };
        let args = self.config.chart_args(&ChartCommand {
            operation,
            namespace: request.namespace,
            release_name: request.release_name,
            chart: request.chart,
            values_file: values_file.path(),
            registry_config_file: registry_file.as_ref().map(tempfile::NamedTempFile::path),
        });
        self.run(args).await
    }

    /// Runs helm; a non-zero exit is an `Err` with helm's message.
    async fn run(&self, args: Vec<String>) -> Result<CommandOutput, HelmError> {
        let mut cmd = CommandSpec::new(&self.config.program, args);
        cmd.env = self.config.env();
        let output = self
            .runner
            .run(&cmd)
            .await
            .map_err(|e| HelmError(format!("cannot run {}: {e}", cmd.program)))?;
        if output.success() {
            Ok(output)
        } else {
            Err(HelmError(failure_text("", &cmd, &output)))
        }
    }
}

/// A `0600` temporary JSON file with `bytes`, removed when dropped.
fn private_file(prefix: &str, bytes: &[u8]) -> Result<tempfile::NamedTempFile, HelmError> {
    let io = |e: std::io::Error| HelmError(format!("cannot write a temporary file: {e}"));
    let mut file = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".json")
        .tempfile()
        .map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.flush().map_err(io)?;
    Ok(file)
}

#[async_trait]
impl HelmRuntime for CliHelm {
    async fn install(&self, request: &HelmRequest<'_>) -> Result<i64, HelmError> {
        self.install_or_upgrade(Operation::Install, request).await
    }

    async fn upgrade(&self, request: &HelmRequest<'_>) -> Result<i64, HelmError> {
        self.install_or_upgrade(Operation::Upgrade, request).await
    }

    async fn uninstall(&self, namespace: &str, release_name: &str) -> Result<(), HelmError> {
        match self
            .run(HelmCliConfig::uninstall_args(namespace, release_name))
            .await
        {
            Err(HelmError(text)) if is_release_not_found(&text) => Ok(()),
            other => other.map(drop),
        }
    }

    async fn latest_revision(
        &self,
        namespace: &str,
        release_name: &str,
    ) -> Result<Option<i64>, HelmError> {
        match self
            .run(HelmCliConfig::history_args(namespace, release_name))
            .await
        {
            Ok(output) => {
                parse_latest_revision(&String::from_utf8_lossy(&output.stdout)).map_err(HelmError)
            }
            Err(HelmError(text)) if is_release_not_found(&text) => Ok(None),
            Err(err) => Err(err),
        }
    }

    async fn manifest(&self, namespace: &str, release_name: &str) -> Result<String, HelmError> {
        let output = self
            .run(HelmCliConfig::manifest_args(namespace, release_name))
            .await?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

#[cfg(test)]
mod tests;
