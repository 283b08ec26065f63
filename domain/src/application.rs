//! Applications and their versions (HS §2.2).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ApplicationId, ApplicationVersionId, OrganizationId};
use crate::names::{Name, ValidationError};

/// What an application or target runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformType {
    /// Docker Compose or Swarm.
    Docker,
    /// Helm on Kubernetes.
    Kubernetes,
}

impl PlatformType {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Docker => "docker",
            Self::Kubernetes => "kubernetes",
        }
    }
}

impl FromStr for PlatformType {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "docker" => Ok(Self::Docker),
            "kubernetes" => Ok(Self::Kubernetes),
            other => Err(ValidationError::new(
                "type",
                format!("unknown type {other:?}"),
            )),
        }
    }
}

impl fmt::Display for PlatformType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An application (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// Identifier.
    pub id: ApplicationId,
    /// Owning organization.
    pub organization_id: OrganizationId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Name.
    pub name: Name,
    /// Immutable type.
    pub app_type: PlatformType,
}

/// Kind of Helm chart source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartType {
    /// An HTTP chart repository (URL + chart name).
    Repository,
    /// An `oci://` reference.
    Oci,
}

impl ChartType {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Repository => "repository",
            Self::Oci => "oci",
        }
    }
}

impl FromStr for ChartType {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "repository" => Ok(Self::Repository),
            "oci" => Ok(Self::Oci),
            other => Err(ValidationError::new(
                "chartType",
                format!("unknown chart type {other:?}"),
            )),
        }
    }
}

/// The type-specific content of a version. Files are raw text as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionContent {
    /// A Compose project.
    Docker {
        /// Compose YAML (a mapping with a non-empty `services` mapping).
        compose_file: String,
        /// The starting `.env` template.
        template_file: Option<String>,
    },
    /// A Helm chart.
    Kubernetes {
        /// Repository or OCI.
        chart_type: ChartType,
        /// Repository URL or `oci://` reference.
        chart_url: String,
        /// Chart name (repository charts only).
        chart_name: Option<String>,
        /// Chart version.
        chart_version: String,
        /// Base values YAML (a mapping).
        values_file: Option<String>,
        /// Values template, kept verbatim.
        template_file: Option<String>,
    },
}

impl VersionContent {
    /// The platform this content is for.
    #[must_use]
    pub const fn platform(&self) -> PlatformType {
        match self {
            Self::Docker { .. } => PlatformType::Docker,
            Self::Kubernetes { .. } => PlatformType::Kubernetes,
        }
    }
}

/// A version of an application (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationVersion {
    /// Identifier.
    pub id: ApplicationVersionId,
    /// The application.
    pub application_id: ApplicationId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Name, unique per application.
    pub name: Name,
    /// Set when archived.
    pub archived_at: Option<DateTime<Utc>>,
    /// Files and chart reference.
    pub content: VersionContent,
}
