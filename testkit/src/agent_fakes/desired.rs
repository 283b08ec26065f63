//! Desired-state values for agent tests.

use chrono::DateTime;
use distr_domain::deployment::DockerType;
use distr_domain::ids::{AgentVersionId, DeploymentId, RevisionId};
use distr_domain::protocol::{AgentDeployment, AgentResource, AgentVersionRef};

use crate::builders::fresh_uuid;

/// A docker desired state with the given agent version and deployments;
/// metrics disabled.
#[must_use]
pub fn agent_resource(version: AgentVersionId, deployments: Vec<AgentDeployment>) -> AgentResource {
    AgentResource {
        version: AgentVersionRef {
            id: version,
            created_at: DateTime::UNIX_EPOCH,
            name: "1.0.0".to_owned(),
        },
        namespace: None,
        metrics_enabled: false,
        deployments,
    }
}

/// A docker deployment with fresh ids whose compose project is
/// `distr-<first 8 of id>`.
#[must_use]
pub fn docker_deployment(docker_type: DockerType) -> AgentDeployment {
    // v4, not v7: the project name keeps only the first 8 hex digits, which
    // v7 ids created in the same millisecond share.
    let id = DeploymentId::from_uuid(uuid::Uuid::new_v4());
    let project = compose_project_of(id);
    AgentDeployment {
        id,
        revision_id: RevisionId::from_uuid(fresh_uuid()),
        registry_auth: None,
        logs_enabled: false,
        force_restart: false,
        compose_file: Some(
            format!("name: {project}\nservices:\n  web:\n    image: nginx\n").into_bytes(),
        ),
        env_file: None,
        docker_type: Some(docker_type),
        release_name: String::new(),
        chart_url: String::new(),
        chart_name: String::new(),
        chart_version: String::new(),
        values: None,
        ignore_revision_skew: false,
    }
}

/// The compose project name [`docker_deployment`] gives a deployment.
#[must_use]
pub fn compose_project_of(id: DeploymentId) -> String {
    let text = id.to_string();
    format!("distr-{}", text.get(..8).unwrap_or(&text))
}

/// The same deployment at a new revision.
#[must_use]
pub fn next_revision(deployment: &AgentDeployment) -> AgentDeployment {
    AgentDeployment {
        revision_id: RevisionId::from_uuid(fresh_uuid()),
        ..deployment.clone()
    }
}

/// A kubernetes deployment with fresh ids: release `release`, chart `web`
/// 0.1.0 from an HTTP repository, values `{}`.
#[must_use]
pub fn helm_deployment(release: &str) -> AgentDeployment {
    AgentDeployment {
        id: DeploymentId::from_uuid(uuid::Uuid::new_v4()),
        revision_id: RevisionId::from_uuid(fresh_uuid()),
        registry_auth: None,
        logs_enabled: false,
        force_restart: false,
        compose_file: None,
        env_file: None,
        docker_type: None,
        release_name: release.to_owned(),
        chart_url: "https://charts.example.com/stable".to_owned(),
        chart_name: "web".to_owned(),
        chart_version: "0.1.0".to_owned(),
        values: Some(serde_json::json!({})),
        ignore_revision_skew: false,
    }
}
