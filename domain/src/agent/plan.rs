//! The docker agent's reconcile step as a sans-IO plan (AP §7.1).
//!
//! [`plan_docker`] turns the desired state and the local state records into
//! the decisions of one tick; the agent loop executes them through ports and
//! reports the results.
//!
//! **No uninstall without a good answer (AP §11h)** is enforced by the types:
//! the plan takes an [`AgentResource`], which only exists after a successful,
//! well-formed resources response was decoded. A failed fetch, a non-2xx, a
//! malformed body or a 304 without a cached body never produces one, so the
//! loop has nothing to plan with and uninstalls nothing. The loop's tests
//! must check that it does not plan on such answers.

use serde_json::Value;

use crate::agent::{AgentDecisionError, DockerRecord};
use crate::protocol::{AgentDeployment, AgentResource};
use crate::values::parse_yaml_value;

/// Everything the plan depends on.
#[derive(Debug, Clone, Copy)]
pub struct DockerPlanInput<'a> {
    /// A well-formed, successful answer ONLY (see the module doc).
    pub desired: &'a AgentResource,
    /// The local state records; `None` when the state directory is
    /// unreadable, which disables orphan removal.
    pub records: Option<&'a [DockerRecord]>,
    /// `DISTR_AGENT_VERSION_ID`; `""` disables self-update.
    pub own_version_id: &'a str,
}

/// What to do with one deployment of the desired state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeploymentStep {
    /// No record, or the record's revision differs: apply (AP §7.4).
    Apply {
        /// Position in `desired.deployments`.
        index: usize,
        /// The record of the previous apply, if any.
        previous: Option<DockerRecord>,
    },
    /// Revision unchanged: run the status check (AP §7.5).
    Check {
        /// Position in `desired.deployments`.
        index: usize,
        /// The record to check.
        record: DockerRecord,
    },
    /// `dockerType` is `null`: log it, post no status.
    SkipNoDockerType {
        /// Position in `desired.deployments`.
        index: usize,
    },
}

impl DeploymentStep {
    /// Position of the deployment in `desired.deployments`.
    #[must_use]
    pub const fn index(&self) -> usize {
        match self {
            Self::Apply { index, .. }
            | Self::Check { index, .. }
            | Self::SkipNoDockerType { index } => *index,
        }
    }
}

/// The decisions of one tick, in execution order: self-update, metrics,
/// orphans, then one step per deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerPlan {
    /// Run the self-update (AP §7.10) before anything else.
    pub self_update: bool,
    /// Whether the metrics task should run.
    pub metrics_enabled: bool,
    /// Records whose deployment is no longer desired: uninstall, then delete.
    pub uninstall: Vec<DockerRecord>,
    /// One step per deployment, in the order of `desired.deployments`.
    pub steps: Vec<DeploymentStep>,
}

/// Plans one tick of the docker agent (AP §7.1).
///
/// Without readable records nothing is uninstalled and every docker
/// deployment is applied, since no record proves its revision unchanged
/// (`compose up` and `stack deploy` are idempotent).
#[must_use]
pub fn plan_docker(input: &DockerPlanInput<'_>) -> DockerPlan {
    let desired = input.desired;
    let records = input.records.unwrap_or_default();
    let uninstall = input
        .records
        .map(|records| {
            records
                .iter()
                .filter(|record| !desired.deployments.iter().any(|d| d.id == record.id))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let steps = desired
        .deployments
        .iter()
        .enumerate()
        .map(|(index, deployment)| {
            if deployment.docker_type.is_none() {
                return DeploymentStep::SkipNoDockerType { index };
            }
            match records.iter().find(|record| record.id == deployment.id) {
                Some(record) if record.revision_id == deployment.revision_id => {
                    DeploymentStep::Check {
                        index,
                        record: record.clone(),
                    }
                }
                previous => DeploymentStep::Apply {
                    index,
                    previous: previous.cloned(),
                },
            }
        })
        .collect();
    DockerPlan {
        self_update: needs_self_update(input.own_version_id, desired),
        metrics_enabled: desired.metrics_enabled,
        uninstall,
        steps,
    }
}

/// Whether `DISTR_AGENT_VERSION_ID` (`own_version_id`, `""` disables
/// self-update) differs from the desired agent version (AP §7.1, §8.2).
#[must_use]
pub fn needs_self_update(own_version_id: &str, desired: &AgentResource) -> bool {
    let own = own_version_id.trim();
    if own.is_empty() {
        return false;
    }
    // Compare as UUIDs so a differently spelled but equal id does not loop.
    match crate::ids::parse_uuid(own) {
        Ok(own) => own != desired.version.id.as_uuid(),
        Err(_) => true,
    }
}

/// The state record written after a successful apply (AP §7.2): the
/// project name is the compose file's top-level `name`.
///
/// # Errors
/// When the deployment has no docker type or compose file, the compose file
/// is not a YAML mapping, or it has no non-empty string `name`.
pub fn record_after_apply(
    deployment: &AgentDeployment,
) -> Result<DockerRecord, AgentDecisionError> {
    let docker_type = deployment
        .docker_type
        .ok_or(AgentDecisionError::MissingDockerType)?;
    let project_name = compose_project_name(deployment)?;
    Ok(DockerRecord {
        id: deployment.id,
        revision_id: deployment.revision_id,
        project_name,
        docker_type,
        logs_enabled: deployment.logs_enabled,
    })
}

/// The top-level `name` of the deployment's compose file.
///
/// # Errors
/// As [`record_after_apply`].
pub fn compose_project_name(deployment: &AgentDeployment) -> Result<String, AgentDecisionError> {
    match parse_compose(deployment)? {
        Value::Object(root) => match root.get("name") {
            Some(Value::String(name)) if !name.trim().is_empty() => Ok(name.clone()),
            _ => Err(AgentDecisionError::MissingProjectName),
        },
        Value::Null => Err(AgentDecisionError::MissingProjectName),
        _ => Err(AgentDecisionError::InvalidCompose(
            "compose file must be a YAML mapping".to_owned(),
        )),
    }
}

/// The deployment's compose file as a JSON value (YAML 1.2 core schema).
pub(super) fn parse_compose(deployment: &AgentDeployment) -> Result<Value, AgentDecisionError> {
    let bytes = deployment
        .compose_file
        .as_deref()
        .ok_or(AgentDecisionError::MissingComposeFile)?;
    let text = std::str::from_utf8(bytes)
        .map_err(|_| AgentDecisionError::InvalidCompose("not UTF-8".to_owned()))?;
    parse_yaml_value(text).map_err(AgentDecisionError::InvalidCompose)
}

#[cfg(test)]
mod tests;
