//! Building an `AgentDeployment` from a deployment's revision (AP §5.4) and the
//! render errors that isolate a bad deployment (AP §11e).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::application::{ApplicationVersion, ChartType, VersionContent};
use crate::compose::{ComposeError, project_name, rewrite_compose};
use crate::deployment::{Deployment, DeploymentRevision, DockerType};
use crate::protocol::{AgentDeployment, RegistryCredentials};
use crate::redact::redact;
use crate::template::{TemplateError, render_template};
use crate::values::{MergeError, ValuesError, merge_values, parse_values};

/// Everything one deployment's payload is built from.
#[derive(Debug, Clone)]
pub struct RenderInput<'a> {
    /// The deployment.
    pub deployment: &'a Deployment,
    /// Its revision to render (normally the latest).
    pub revision: &'a DeploymentRevision,
    /// The revision's application version.
    pub version: &'a ApplicationVersion,
    /// The secrets of the target's owner (AP §5.4), by key.
    pub secrets: &'a BTreeMap<String, String>,
    /// Registry credentials of the deployment's license, if it has a registry.
    pub registry_auth: Option<BTreeMap<String, RegistryCredentials>>,
}

/// Why a revision cannot be rendered. `Display` is the detail that follows
/// `hub: cannot render revision: ` and never contains a secret value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The version's compose file is unusable.
    #[error(transparent)]
    Compose(ComposeError),
    /// The env file or values template does not render.
    #[error("{file}: {source}")]
    Template {
        /// Which input: `env file` or `values`.
        file: &'static str,
        /// The template error (names keys, never values).
        source: TemplateError,
    },
    /// Base or rendered override values are not a YAML mapping.
    #[error(transparent)]
    Values(ValuesError),
    /// Base and override values clash.
    #[error(transparent)]
    Merge(MergeError),
    /// The version's type differs from the deployment's.
    #[error("application version type does not match the deployment")]
    TypeMismatch,
}

const ENV_FILE: &str = "env file";
const VALUES_FILE: &str = "values";

/// Builds the `AgentDeployment` for `input.revision` (AP §5.2, §5.4).
///
/// # Errors
/// A `RenderError` when the compose file, a template or the values cannot be
/// used, or when the version's type does not fit the deployment.
pub fn render_deployment(input: &RenderInput<'_>) -> Result<AgentDeployment, RenderError> {
    let deployment = input.deployment;
    let revision = input.revision;
    let mut out = AgentDeployment {
        id: deployment.id,
        revision_id: revision.id,
        registry_auth: input.registry_auth.clone(),
        logs_enabled: deployment.logs_enabled,
        force_restart: revision.force_restart,
        compose_file: None,
        env_file: None,
        docker_type: None,
        release_name: String::new(),
        chart_url: String::new(),
        chart_name: String::new(),
        chart_version: String::new(),
        values: None,
        ignore_revision_skew: false,
    };
    match &input.version.content {
        VersionContent::Docker { compose_file, .. } => {
            if deployment.release_name.is_some() {
                return Err(RenderError::TypeMismatch);
            }
            let compose = rewrite_compose(compose_file, &project_name(deployment.id))
                .map_err(RenderError::Compose)?;
            out.compose_file = Some(compose.into_bytes());
            out.env_file = revision
                .env_file_data
                .as_deref()
                .map(|env| render_file(ENV_FILE, env, input.secrets))
                .transpose()?
                .map(String::into_bytes);
            out.docker_type = Some(deployment.docker_type.unwrap_or(DockerType::Compose));
        }
        VersionContent::Kubernetes {
            chart_type,
            chart_url,
            chart_name,
            chart_version,
            values_file,
            ..
        } => {
            let (Some(release_name), None) = (&deployment.release_name, deployment.docker_type)
            else {
                return Err(RenderError::TypeMismatch);
            };
            out.release_name.clone_from(release_name);
            out.chart_url.clone_from(chart_url);
            out.chart_name = match chart_type {
                ChartType::Oci => String::new(),
                ChartType::Repository => chart_name.clone().unwrap_or_default(),
            };
            out.chart_version.clone_from(chart_version);
            out.values = Some(Value::Object(merged_values(input, values_file.as_deref())?));
            out.ignore_revision_skew = revision.ignore_revision_skew;
        }
    }
    Ok(out)
}

/// The checks of [`render_deployment`] without keeping the output; used when a
/// revision is created (HS §3.8 step 7).
///
/// # Errors
/// The same `RenderError` that [`render_deployment`] would return.
pub fn check_renderable(input: &RenderInput<'_>) -> Result<(), RenderError> {
    render_deployment(input).map(drop)
}

fn render_file(
    file: &'static str,
    text: &str,
    secrets: &BTreeMap<String, String>,
) -> Result<String, RenderError> {
    render_template(text, secrets).map_err(|source| RenderError::Template { file, source })
}

/// Base values merged with the rendered override (AP §5.4).
fn merged_values(
    input: &RenderInput<'_>,
    base: Option<&str>,
) -> Result<Map<String, Value>, RenderError> {
    let base = parse_values(base.unwrap_or_default()).map_err(RenderError::Values)?;
    let template = input.revision.values_yaml.as_deref().unwrap_or_default();
    let rendered = render_file(VALUES_FILE, template, input.secrets)?;
    // The override holds rendered secret values; errors about it are scrubbed
    // as a second line of defence behind the parser's snippet-free messages.
    let secret_values: Vec<String> = input.secrets.values().cloned().collect();
    let overrides = parse_values(&rendered).map_err(|err| {
        RenderError::Values(match err {
            ValuesError::Parse(message) => ValuesError::Parse(redact(&message, &secret_values)),
            other => other,
        })
    })?;
    merge_values(&base, &overrides).map_err(|err| {
        RenderError::Merge(MergeError {
            path: redact(&err.path, &secret_values),
            reason: err.reason,
        })
    })
}

#[cfg(test)]
mod tests;
