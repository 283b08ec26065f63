//! Deployments, revisions and their statuses (HS §2.2, AP §9.2).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    ApplicationId, ApplicationVersionId, DeploymentId, RevisionId, StatusId, TargetId,
    UserAccountId,
};
use crate::names::ValidationError;

/// How a docker deployment runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DockerType {
    /// `docker compose up -d` (the default, AP §5.4).
    #[default]
    Compose,
    /// `docker stack deploy`.
    Swarm,
}

impl DockerType {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Compose => "compose",
            Self::Swarm => "swarm",
        }
    }
}

impl FromStr for DockerType {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "compose" => Ok(Self::Compose),
            "swarm" => Ok(Self::Swarm),
            other => Err(ValidationError::new(
                "dockerType",
                format!("unknown docker type {other:?}"),
            )),
        }
    }
}

/// A deployment of one application on one target (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// Identifier, stable across revisions.
    pub id: DeploymentId,
    /// The target.
    pub deployment_target_id: TargetId,
    /// The application (fixed).
    pub application_id: ApplicationId,
    /// Creation time; deployments are served in this order.
    pub created_at: DateTime<Utc>,
    /// Docker only: compose or swarm (immutable).
    pub docker_type: Option<DockerType>,
    /// Kubernetes only: Helm release name, unique per target.
    pub release_name: Option<String>,
    /// Whether workload logs are shipped and stored.
    pub logs_enabled: bool,
}

/// Why a revision was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionTrigger {
    /// A user (or script) deployed or updated.
    User,
    /// A referenced secret value changed.
    SecretChanged,
}

impl RevisionTrigger {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::SecretChanged => "secret_changed",
        }
    }
}

impl FromStr for RevisionTrigger {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "user" => Ok(Self::User),
            "secret_changed" => Ok(Self::SecretChanged),
            other => Err(ValidationError::new(
                "trigger",
                format!("unknown trigger {other:?}"),
            )),
        }
    }
}

/// An immutable revision of a deployment (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentRevision {
    /// Identifier.
    pub id: RevisionId,
    /// The deployment.
    pub deployment_id: DeploymentId,
    /// Creation time; the newest (ties by id) is current.
    pub created_at: DateTime<Utc>,
    /// The application version.
    pub application_version_id: ApplicationVersionId,
    /// Raw values YAML with placeholders (kubernetes).
    pub values_yaml: Option<String>,
    /// Raw env file with placeholders (docker).
    pub env_file_data: Option<String>,
    /// Restart after apply.
    pub force_restart: bool,
    /// Kubernetes: ignore Helm revision skew.
    pub ignore_revision_skew: bool,
    /// Author, when a user created it.
    pub created_by_user_account_id: Option<UserAccountId>,
    /// Why it was created.
    pub trigger: RevisionTrigger,
}

impl DeploymentRevision {
    /// Whether the env file or values template references secret `key`
    /// (HS §2.5, §3.8). A template that does not parse references nothing:
    /// revisions are only stored after a trial render.
    #[must_use]
    pub fn references_secret(&self, key: &str) -> bool {
        [self.env_file_data.as_deref(), self.values_yaml.as_deref()]
            .into_iter()
            .flatten()
            .any(|text| crate::template::referenced_keys(text).is_ok_and(|keys| keys.contains(key)))
    }

    /// The copy a secret change adds (HS §3.8): same inputs, a new id and
    /// time, `trigger=secret_changed`, authored by whoever changed the secret.
    #[must_use]
    pub fn secret_changed_copy(
        &self,
        id: RevisionId,
        at: DateTime<Utc>,
        by: Option<UserAccountId>,
    ) -> Self {
        Self {
            id,
            created_at: at,
            created_by_user_account_id: by,
            trigger: RevisionTrigger::SecretChanged,
            ..self.clone()
        }
    }
}

/// A deployment status type (AP §3.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusType {
    /// Installing or upgrading.
    Progressing,
    /// Running, not (all) health-checked.
    Running,
    /// Running and healthy.
    Healthy,
    /// Failed.
    Error,
}

/// Error for an unknown status type; its text is the AP §3.9 detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid deployment status type: {0}")]
pub struct InvalidStatusType(pub String);

impl StatusType {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Progressing => "progressing",
            Self::Running => "running",
            Self::Healthy => "healthy",
            Self::Error => "error",
        }
    }

    /// Parses an agent-reported type; the legacy `ok` means `running`.
    ///
    /// # Errors
    /// `InvalidStatusType` for anything else.
    pub fn parse_reported(s: &str) -> Result<Self, InvalidStatusType> {
        match s {
            "progressing" => Ok(Self::Progressing),
            "running" | "ok" => Ok(Self::Running),
            "healthy" => Ok(Self::Healthy),
            "error" => Ok(Self::Error),
            other => Err(InvalidStatusType(other.to_owned())),
        }
    }
}

impl fmt::Display for StatusType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A coalesced status record of a revision (AP §9.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRecord {
    /// Identifier.
    pub id: StatusId,
    /// The revision reported on.
    pub deployment_revision_id: RevisionId,
    /// Type.
    pub status_type: StatusType,
    /// Message (redacted, capped at 64 KiB).
    pub message: String,
    /// First report of this (type, message).
    pub first_reported_at: DateTime<Utc>,
    /// Latest report of this (type, message).
    pub last_reported_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_ok_is_running() {
        assert_eq!(
            StatusType::parse_reported("ok").unwrap(),
            StatusType::Running
        );
    }

    fn revision(env: Option<&str>, values: Option<&str>) -> DeploymentRevision {
        DeploymentRevision {
            id: RevisionId::from_uuid(uuid::Uuid::now_v7()),
            deployment_id: DeploymentId::from_uuid(uuid::Uuid::now_v7()),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            application_version_id: ApplicationVersionId::from_uuid(uuid::Uuid::now_v7()),
            values_yaml: values.map(str::to_owned),
            env_file_data: env.map(str::to_owned),
            force_restart: true,
            ignore_revision_skew: false,
            created_by_user_account_id: None,
            trigger: RevisionTrigger::User,
        }
    }

    #[test]
    fn a_revision_references_keys_of_its_env_file_and_values() {
        let env = revision(Some("A={{ .Secrets.DB }}\nB={{ \"{{\" }}"), None);
        assert!(env.references_secret("DB"));
        assert!(!env.references_secret("D"));
        let values = revision(None, Some("x: '{{ index .Secrets \"TOKEN\" }}'"));
        assert!(values.references_secret("TOKEN"));
        assert!(!values.references_secret("DB"));
        assert!(!revision(None, None).references_secret("DB"));
        assert!(!revision(Some("{{ .Values.x }} .Secrets.DB"), None).references_secret("DB"));
    }

    #[test]
    fn a_secret_changed_copy_keeps_the_inputs() {
        let original = revision(Some("A={{ .Secrets.DB }}"), None);
        let id = RevisionId::from_uuid(uuid::Uuid::now_v7());
        let at = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::seconds(5);
        let copy = original.secret_changed_copy(id, at, None);
        assert_eq!(copy.id, id);
        assert_eq!(copy.created_at, at);
        assert_eq!(copy.trigger, RevisionTrigger::SecretChanged);
        assert_eq!(copy.env_file_data, original.env_file_data);
        assert_eq!(copy.application_version_id, original.application_version_id);
        assert_eq!(copy.force_restart, original.force_restart);
    }

    #[test]
    fn unknown_status_type_names_the_value() {
        let err = StatusType::parse_reported("foo").unwrap_err();
        assert_eq!(err.to_string(), "invalid deployment status type: foo");
    }
}
