use async_trait::async_trait;
use distr_domain::agent::HelmChart;
use serde_json::Value;

/// A failure of a Helm operation. The text is Helm's own message, which the
/// agent posts in the `error` status (`install error: <text>`, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct HelmError(pub String);

/// One install or upgrade (AP §8.4).
#[derive(Debug, Clone, Copy)]
pub struct HelmRequest<'a> {
    /// The namespace of the release and of its storage Secrets; never created.
    pub namespace: &'a str,
    /// The release name.
    pub release_name: &'a str,
    /// The chart to pull.
    pub chart: &'a HelmChart,
    /// The values, already with the pull Secret appended (secret: never logged).
    pub values: &'a Value,
    /// The deployment's registry credentials in Docker `config.json` format
    /// (AP §7.3; secret), used for OCI pulls. HTTP repositories get none.
    pub registry_config: Option<&'a [u8]>,
}

/// Helm 3 with the `secret` storage driver (AP §8.4), so `helm ls -a -n
/// <namespace>` shows the agent's releases.
#[async_trait]
pub trait HelmRuntime: Send + Sync + std::fmt::Debug {
    /// `helm install` with `wait`, `atomic` (a failed install is removed) and
    /// a 5 min timeout. MUST return the release revision it produced.
    async fn install(&self, request: &HelmRequest<'_>) -> Result<i64, HelmError>;

    /// `helm upgrade` with `wait`, `atomic` (a failure is rolled back),
    /// `cleanup-on-fail`, reset-values semantics and a 5 min timeout. MUST
    /// return the release revision it produced.
    async fn upgrade(&self, request: &HelmRequest<'_>) -> Result<i64, HelmError>;

    /// `helm uninstall` with `wait` and a 5 min timeout. An absent release
    /// MUST NOT be an error.
    async fn uninstall(&self, namespace: &str, release_name: &str) -> Result<(), HelmError>;

    /// The latest revision of the release, whatever its status (deployed,
    /// failed, superseded by a rollback...). MUST be `Ok(None)` when no
    /// release of that name exists, and `Err` for any other failure.
    async fn latest_revision(
        &self,
        namespace: &str,
        release_name: &str,
    ) -> Result<Option<i64>, HelmError>;

    /// The rendered manifest of the release's latest revision (multi-document YAML).
    async fn manifest(&self, namespace: &str, release_name: &str) -> Result<String, HelmError>;
}
