//! `distr-kube`: the helm agent's Kubernetes adapter on `kube` and
//! `k8s-openapi` (AP §8). [`KubeCluster`] implements every Kubernetes port:
//! state and pull Secrets, workload health, force restart, pod logs, node
//! metrics and the self-update apply. [`read_config_files`] reads the
//! configuration directories of AP §8.1.

mod config_files;
mod error;
mod health;
mod logs;
mod manifest;
mod metrics;
mod pull_secret;
mod quantity;
mod restart;
mod self_update;
mod state;

use std::fmt;

use distr_ports::agent::KubeError;

pub use config_files::{ConfigFilesError, read_config_files};

/// Field manager of every server-side apply and patch (AP §8.3, §8.6).
pub const FIELD_MANAGER: &str = "distr-agent";

/// The Kubernetes API through one `kube` client.
#[derive(Clone)]
pub struct KubeCluster {
    client: kube::Client,
}

impl fmt::Debug for KubeCluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KubeCluster")
            .field("default_namespace", &self.client.default_namespace())
            .finish()
    }
}

impl KubeCluster {
    /// Wraps a client (tests pass one over a mock transport).
    #[must_use]
    pub fn new(client: kube::Client) -> Self {
        Self { client }
    }

    /// A client from the in-cluster service account, or the local kubeconfig
    /// outside a cluster.
    ///
    /// # Errors
    /// When neither configuration can be loaded.
    pub async fn from_environment() -> Result<Self, KubeError> {
        kube::Client::try_default()
            .await
            .map(Self::new)
            .map_err(error::api_error)
    }
}
