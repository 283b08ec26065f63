//! Ports of the kubernetes (helm) agent onto the Kubernetes API (AP §8).
//!
//! Every method takes the namespace of the desired state (AP §5.1), because
//! it can change between ticks. Release manifests are Helm's rendered
//! multi-document YAML. Metrics reuse [`crate::agent::HostMetrics`]: the
//! cluster implementation sums node capacity and `NodeMetrics` (AP §8.8).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::agent::{HelmRecord, WorkloadLogLine};

/// A failure of a Kubernetes operation. Display texts are what the agent
/// puts after its AP §8 status prefixes (`resource status error: `, …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KubeError {
    /// The API server refused the request (its `Status` message) or could
    /// not be reached.
    #[error("{0}")]
    Api(String),
    /// A manifest that is not a sequence of Kubernetes objects.
    #[error("invalid manifest: {0}")]
    Manifest(String),
    /// A workload of a release is not ready: the exact AP §8.5 message, e.g.
    /// `Deployment web status check failed: ReadyReplicas (0) is less than desired (1)`.
    #[error("{0}")]
    Unhealthy(String),
    /// Several objects failed (force restart aggregates, AP §8.6); the
    /// messages joined with `; `.
    #[error("{}", .0.join("; "))]
    Several(Vec<String>),
}

/// The helm agent's state records: Secrets `sh.distr.agent.v1.<release>`
/// with label `agent.distr.sh/deployment=<release>` and the JSON record in
/// `data.release`, in Distr 2.7's exact format (AP §8.3).
#[async_trait]
pub trait HelmStateStore: Send + Sync + std::fmt::Debug {
    /// Every record in `namespace`, selected by the existence of the label
    /// key. MUST return `Err` when the list call fails (the caller then skips
    /// orphan removal); a Secret whose record cannot be decoded MUST be
    /// skipped with a warning rather than fail the list.
    async fn list(&self, namespace: &str) -> Result<Vec<HelmRecord>, KubeError>;

    /// Creates or replaces the record's Secret by server-side apply (field
    /// manager `distr-agent`, force).
    async fn put(&self, namespace: &str, record: &HelmRecord) -> Result<(), KubeError>;

    /// Deletes the state Secret of `release_name`; an absent one MUST be
    /// ignored.
    async fn delete(&self, namespace: &str, release_name: &str) -> Result<(), KubeError>;
}

/// Image pull Secrets of releases (AP §8.2 step 6.2).
#[async_trait]
pub trait PullSecrets: Send + Sync + std::fmt::Debug {
    /// Server-side applies (field manager `distr-agent`, force) the Secret
    /// `sh.distr.agent.v1.<release_name>.pull` of type
    /// `kubernetes.io/dockerconfigjson` whose `.dockerconfigjson` MUST be
    /// exactly `docker_config_json`.
    async fn ensure_pull_secret(
        &self,
        namespace: &str,
        release_name: &str,
        docker_config_json: &[u8],
    ) -> Result<(), KubeError>;
}

/// Readiness of a release's workloads (AP §8.5).
#[async_trait]
pub trait WorkloadHealth: Send + Sync + std::fmt::Debug {
    /// Checks every object of `manifest`, in order, in `namespace`, and
    /// returns the number of objects when all pass. Deployments and
    /// StatefulSets MUST fail when `readyReplicas < replicas`, DaemonSets when
    /// `numberUnavailable > 0`, with [`KubeError::Unhealthy`] carrying the
    /// AP §8.5 message of the first failure; other kinds pass without a read.
    async fn check(&self, namespace: &str, manifest: &str) -> Result<usize, KubeError>;
}

/// Force restart of a release's workloads (AP §8.6).
#[async_trait]
pub trait WorkloadRestarter: Send + Sync + std::fmt::Debug {
    /// Sets the pod-template annotation `kubectl.kubernetes.io/restartedAt`
    /// to `at` (RFC 3339) on every Deployment, DaemonSet and StatefulSet of
    /// `manifest` by strategic-merge patch (field manager `distr-agent`).
    /// Other kinds MUST be skipped; it MUST try every object and return the
    /// aggregated failures ([`KubeError::Several`]).
    async fn restart(
        &self,
        namespace: &str,
        manifest: &str,
        at: DateTime<Utc>,
    ) -> Result<(), KubeError>;
}

/// Pod logs of a release's workloads (AP §8.7).
#[async_trait]
pub trait WorkloadLogs: Send + Sync + std::fmt::Debug {
    /// The lines of every container of the pods of each object of
    /// `manifest` since `since`, with timestamps (each line starts with an
    /// RFC 3339 time and a space), each request bounded by 10 s. `resource`
    /// MUST be `<plural resource>/<name>` of the owning manifest object (e.g.
    /// `deployments/web`), or the pod name when no owner is known; `severity`
    /// is `Log`. Any API or stream error MUST fail the whole call, so the
    /// caller does not advance its window.
    async fn logs_since(
        &self,
        namespace: &str,
        manifest: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, KubeError>;
}

/// Self-update by applying the Hub's agent manifest (AP §8.9).
#[async_trait]
pub trait ManifestApplier: Send + Sync + std::fmt::Debug {
    /// Splits `manifest` into objects and makes each exist with exactly the
    /// manifest's content: namespaced objects in `namespace`, cluster-scoped
    /// ones without a namespace. Absent objects MUST be created and existing
    /// ones replaced; objects not in the manifest (the auth Secret) MUST NOT
    /// be touched. Stops at the first failure.
    async fn apply(&self, namespace: &str, manifest: &str) -> Result<(), KubeError>;
}
