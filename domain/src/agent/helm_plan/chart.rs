//! Which chart a deployment names (AP §8.4).

use crate::protocol::AgentDeployment;

/// A chart reference as Helm takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelmChart {
    /// `chartUrl` starts with `oci://`: the reference is the URL itself.
    Oci {
        /// `oci://host/path/chart`.
        reference: String,
        /// `chartVersion`.
        version: String,
    },
    /// An HTTP(S) chart repository.
    Repository {
        /// The repository URL (`chartUrl`).
        url: String,
        /// `chartName`.
        name: String,
        /// `chartVersion`.
        version: String,
    },
}

impl HelmChart {
    /// The chart of a deployment.
    #[must_use]
    pub fn of(deployment: &AgentDeployment) -> Self {
        let version = deployment.chart_version.clone();
        if deployment.chart_url.starts_with("oci://") {
            Self::Oci {
                reference: deployment.chart_url.clone(),
                version,
            }
        } else {
            Self::Repository {
                url: deployment.chart_url.clone(),
                name: deployment.chart_name.clone(),
                version,
            }
        }
    }

    /// The version to ask for.
    #[must_use]
    pub fn version(&self) -> &str {
        match self {
            Self::Oci { version, .. } | Self::Repository { version, .. } => version,
        }
    }

    /// Whether the chart is pulled from an OCI registry (and so needs the
    /// registry credentials and honours plain HTTP).
    #[must_use]
    pub const fn is_oci(&self) -> bool {
        matches!(self, Self::Oci { .. })
    }
}
