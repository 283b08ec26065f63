//! Deployment targets and agent versions (HS §2.2, AP §2.1, §9.3).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::application::PlatformType;
use crate::ids::{
    AgentVersionId, CustomerOrganizationId, HeartbeatChangeId, OrganizationId, TargetId,
};
use crate::names::{Name, ValidationError};

/// RBAC scope of a Kubernetes agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KubernetesScope {
    /// Cluster-admin via a ClusterRoleBinding.
    Cluster,
    /// Admin of its namespace only.
    Namespace,
}

impl KubernetesScope {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Cluster => "cluster",
            Self::Namespace => "namespace",
        }
    }
}

impl FromStr for KubernetesScope {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cluster" => Ok(Self::Cluster),
            "namespace" => Ok(Self::Namespace),
            other => Err(ValidationError::new(
                "scope",
                format!("unknown scope {other:?}"),
            )),
        }
    }
}

/// Type-specific, immutable target settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetKind {
    /// A Docker host.
    Docker,
    /// A Kubernetes namespace.
    Kubernetes {
        /// DNS-1123 label.
        namespace: String,
        /// RBAC scope.
        scope: KubernetesScope,
    },
}

impl TargetKind {
    /// The platform type.
    #[must_use]
    pub const fn platform(&self) -> PlatformType {
        match self {
            Self::Docker => PlatformType::Docker,
            Self::Kubernetes { .. } => PlatformType::Kubernetes,
        }
    }

    /// The namespace for Kubernetes targets.
    #[must_use]
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Self::Docker => None,
            Self::Kubernetes { namespace, .. } => Some(namespace),
        }
    }

    /// Whether the agent can read node metrics: not from a namespace-scoped
    /// Kubernetes target, whose RBAC stops at its namespace (HS §2.2).
    #[must_use]
    pub const fn allows_node_metrics(&self) -> bool {
        !matches!(
            self,
            Self::Kubernetes {
                scope: KubernetesScope::Namespace,
                ..
            }
        )
    }
}

/// Kubernetes agent resources: all four quantities or none (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentResources {
    /// CPU request quantity.
    pub cpu_request: String,
    /// Memory request quantity.
    pub memory_request: String,
    /// CPU limit quantity.
    pub cpu_limit: String,
    /// Memory limit quantity.
    pub memory_limit: String,
}

/// Salt and Argon2id hash of a target secret, raw bytes (AP §2.2).
#[derive(Clone, PartialEq, Eq)]
pub struct TargetSecretHash {
    /// 16 random bytes.
    pub salt: Vec<u8>,
    /// 32-byte Argon2id output.
    pub hash: Vec<u8>,
}

impl fmt::Debug for TargetSecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TargetSecretHash(***)")
    }
}

/// The coalesced heartbeat of a target (AP §9.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heartbeat {
    /// Last contact (lags real contact by at most 10 s).
    pub last_seen_at: DateTime<Utc>,
    /// Current heartbeat message (`OK` or an error).
    pub message: String,
    /// When that message first appeared.
    pub message_since: DateTime<Utc>,
    /// The history row written when the message last changed.
    pub change_id: HeartbeatChangeId,
}

/// A deployment target (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentTarget {
    /// Identifier.
    pub id: TargetId,
    /// Vendor organization.
    pub organization_id: OrganizationId,
    /// Owner customer; `None` means vendor-owned.
    pub customer_organization_id: Option<CustomerOrganizationId>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Name.
    pub name: Name,
    /// Docker or Kubernetes settings.
    pub kind: TargetKind,
    /// Whether the agent collects metrics.
    pub metrics_enabled: bool,
    /// Kubernetes agent resources.
    pub resources: Option<AgentResources>,
    /// Desired agent version.
    pub agent_version_id: AgentVersionId,
    /// Version reported through `User-Agent`.
    pub reported_agent_version_id: Option<AgentVersionId>,
    /// Salt and hash of the current secret; `None` before the first access request.
    pub secret: Option<TargetSecretHash>,
    /// Coalesced heartbeat; `None` until the first contact.
    pub heartbeat: Option<Heartbeat>,
}

/// An agent version (AP §9.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentVersion {
    /// Identifier.
    pub id: AgentVersionId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Unique name = image tag (semver or `snapshot`).
    pub name: String,
    /// Override of `AGENT_DOCKER_IMAGE_REPOSITORY`.
    pub docker_image_repository: Option<String>,
    /// Override of `AGENT_KUBERNETES_IMAGE_REPOSITORY`.
    pub kubernetes_image_repository: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_namespace_scoped_kubernetes_targets_lack_node_metrics() {
        let kubernetes = |scope| TargetKind::Kubernetes {
            namespace: "shop".to_owned(),
            scope,
        };
        assert!(TargetKind::Docker.allows_node_metrics());
        assert!(kubernetes(KubernetesScope::Cluster).allows_node_metrics());
        assert!(!kubernetes(KubernetesScope::Namespace).allows_node_metrics());
    }
}
