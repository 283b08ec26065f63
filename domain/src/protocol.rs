//! Wire types of the agent protocol (AP §3, §5), shared by the Hub and the agents.
//!
//! Decoding is lenient as AP §3.1 and §5.3 require: unknown keys are ignored and
//! an absent key or `null` means the zero value. Encoding of `AgentDeployment`
//! always writes all 14 keys.

mod wire;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::deployment::DockerType;
use crate::ids::{AgentVersionId, DeploymentId, RevisionId};

/// The target's configured agent version, as sent in `AgentResource.version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentVersionRef {
    /// Agent version id; agents compare it with `DISTR_AGENT_VERSION_ID`.
    pub id: AgentVersionId,
    /// Creation time of the version; absent or `null` decodes as the epoch
    /// (only `id` matters for a well-formed response, AP §5.3).
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub created_at: DateTime<Utc>,
    /// Version name (image tag).
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub name: String,
}

/// Desired state of one target: the body of `GET /agent/resources` (AP §5.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentResource {
    /// The configured agent version.
    pub version: AgentVersionRef,
    /// Kubernetes namespace; the key is omitted when absent or empty.
    #[serde(default, skip_serializing_if = "wire::is_blank")]
    pub namespace: Option<String>,
    /// Whether the agent collects metrics.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub metrics_enabled: bool,
    /// Deployments in creation order; the key is omitted when empty and a
    /// missing key decodes as empty.
    #[serde(
        default,
        deserialize_with = "wire::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub deployments: Vec<AgentDeployment>,
}

/// Registry login of a license (AP §5.4). `Debug` hides the password.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RegistryCredentials {
    /// User name.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub username: String,
    /// Password (secret).
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub password: String,
}

impl fmt::Debug for RegistryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryCredentials")
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

/// One deployment of the desired state (AP §5.2). Every key is always serialized.
///
/// `Debug` omits the env file, values and registry passwords, which hold secrets.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentDeployment {
    /// Deployment id, stable across revisions.
    pub id: DeploymentId,
    /// Revision this payload was built from.
    pub revision_id: RevisionId,
    /// Registry logins keyed by bare host, or `null`.
    #[serde(default)]
    pub registry_auth: Option<BTreeMap<String, RegistryCredentials>>,
    /// Ship workload logs.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub logs_enabled: bool,
    /// Restart after apply (upgrade only for Helm).
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub force_restart: bool,
    /// Docker: the compose YAML.
    #[serde(default, with = "wire::base64_bytes")]
    pub compose_file: Option<Vec<u8>>,
    /// Docker: the rendered env file, or `null` without one.
    #[serde(default, with = "wire::base64_bytes")]
    pub env_file: Option<Vec<u8>>,
    /// Docker: compose or swarm; `null` for kubernetes.
    #[serde(default, deserialize_with = "wire::lenient_docker_type")]
    pub docker_type: Option<DockerType>,
    /// Kubernetes: Helm release name; `""` for docker.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub release_name: String,
    /// Kubernetes: repository URL or `oci://` reference.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub chart_url: String,
    /// Kubernetes: chart name of repository charts, else `""`.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub chart_name: String,
    /// Kubernetes: chart version.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub chart_version: String,
    /// Kubernetes: merged Helm values (at least `{}`); `null` for docker.
    #[serde(default)]
    pub values: Option<serde_json::Value>,
    /// Kubernetes: proceed despite Helm revision skew.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub ignore_revision_skew: bool,
}

impl fmt::Debug for AgentDeployment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let registry_hosts: Option<Vec<&String>> = self
            .registry_auth
            .as_ref()
            .map(|auth| auth.keys().collect());
        f.debug_struct("AgentDeployment")
            .field("id", &self.id)
            .field("revision_id", &self.revision_id)
            .field("registry_auth_hosts", &registry_hosts)
            .field("logs_enabled", &self.logs_enabled)
            .field("force_restart", &self.force_restart)
            .field(
                "compose_file_len",
                &self.compose_file.as_ref().map(Vec::len),
            )
            .field("env_file_len", &self.env_file.as_ref().map(Vec::len))
            .field("docker_type", &self.docker_type)
            .field("release_name", &self.release_name)
            .field("chart_url", &self.chart_url)
            .field("chart_name", &self.chart_name)
            .field("chart_version", &self.chart_version)
            .field("has_values", &self.values.is_some())
            .field("ignore_revision_skew", &self.ignore_revision_skew)
            .finish()
    }
}

/// Body of `POST /agent/status`, decoded leniently so the handler can give
/// the exact AP §3.9 errors for a missing or invalid field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    /// Revision reported on (a UUID string, checked by the handler).
    #[serde(default)]
    pub revision_id: Option<String>,
    /// `healthy`, `running`, `progressing`, `error` or the legacy `ok`.
    #[serde(default, rename = "type")]
    pub status_type: Option<String>,
    /// Free text; absent means `""`.
    #[serde(default)]
    pub message: Option<String>,
}

/// Body of `POST /agent/metrics` (AP §3.10). Usages are fractions in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricsReport {
    /// Logical CPUs × 1000.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub cpu_cores_millis: i64,
    /// CPU usage fraction.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub cpu_usage: f64,
    /// Total memory in bytes.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub memory_bytes: i64,
    /// Memory usage fraction.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub memory_usage: f64,
}

/// One element of `PUT /agent/logs` (AP §3.11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogRecordInput {
    /// The deployment.
    pub deployment_id: DeploymentId,
    /// The revision the agent runs.
    pub deployment_revision_id: RevisionId,
    /// Container, service, `<plural kind>/<name>` or pod.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub resource: String,
    /// When the line was logged.
    pub timestamp: DateTime<Utc>,
    /// `Log`, `stdout`, `stderr`, ….
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub severity: String,
    /// The line (redacted by the Hub on ingestion).
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub body: String,
}

/// One element of `PUT /agent/deployment-target-logs` (AP §3.12). The `id`
/// that Distr 2.7 agents add is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetLogInput {
    /// When the agent logged it.
    pub timestamp: DateTime<Utc>,
    /// Level name.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub severity: String,
    /// Free text.
    #[serde(default, deserialize_with = "wire::null_as_default")]
    pub body: String,
}

/// Body of a successful `POST /agent/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// The agent JWT.
    pub token: String,
}

impl fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoginResponse { token: *** }")
    }
}

/// Deterministic body and strong `ETag` of a resources response (AP §11j):
/// every replica produces the same bytes for the same state.
#[must_use]
pub fn encode_agent_resource(resource: &AgentResource) -> (Vec<u8>, String) {
    let value = match serde_json::to_value(resource) {
        Ok(value) => value,
        // Unreachable: every map key is a string and `serde_json::Value`
        // numbers are finite, the only ways `to_value` can fail.
        Err(err) => serde_json::Value::String(format!("unencodable resource: {err}")),
    };
    let body = crate::canonical::canonical_json(&value);
    let etag = crate::canonical::etag(&body);
    (body, etag)
}

#[cfg(test)]
mod tests;
