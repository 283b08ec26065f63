//! The docker agent's state file (AP §7.2), byte-compatible with Distr 2.7.

use serde::{Deserialize, Serialize};

use crate::deployment::DockerType;
use crate::ids::{DeploymentId, RevisionId};

/// `<scratch>/deployments/<id>`: `{"id", "revisionId", "projectName", "docker_type", "logsEnabled"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerRecord {
    /// Deployment id.
    pub id: DeploymentId,
    /// The revision last applied.
    #[serde(rename = "revisionId")]
    pub revision_id: RevisionId,
    /// Top-level `name` of the applied compose file.
    #[serde(rename = "projectName")]
    pub project_name: String,
    /// Absent in older files; absent or anything but `swarm` means compose.
    #[serde(rename = "docker_type", default, with = "docker_type_lenient")]
    pub docker_type: DockerType,
    /// Whether logs are shipped (written at apply time).
    #[serde(rename = "logsEnabled", default)]
    pub logs_enabled: bool,
}

mod docker_type_lenient {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::deployment::DockerType;

    pub fn serialize<S: Serializer>(value: &DockerType, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DockerType, D::Error> {
        let raw: Option<String> = Option::deserialize(d)?;
        Ok(match raw.as_deref() {
            Some("swarm") => DockerType::Swarm,
            _ => DockerType::Compose,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_file_without_docker_type_means_compose() {
        let raw = r#"{"id":"0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b","revisionId":"0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c","projectName":"distr-0190a3b4"}"#;
        let record: DockerRecord = serde_json::from_str(raw).unwrap();
        assert_eq!(record.docker_type, DockerType::Compose);
        assert!(!record.logs_enabled);
    }

    #[test]
    fn record_serializes_with_upstream_keys() {
        let raw = r#"{"id":"0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b","revisionId":"0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c","projectName":"distr-0190a3b4","docker_type":"swarm","logsEnabled":true}"#;
        let record: DockerRecord = serde_json::from_str(raw).unwrap();
        assert_eq!(serde_json::to_string(&record).unwrap(), raw);
    }
}
