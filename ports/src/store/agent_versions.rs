use async_trait::async_trait;
use distr_domain::ids::AgentVersionId;
use distr_domain::target::AgentVersion;

use super::StoreError;

/// Agent versions.
#[async_trait]
pub trait AgentVersionStore: Send + Sync {
    /// Inserts `version` unless one with the same name exists, and returns the
    /// stored row. MUST be idempotent by name: a second call with the same
    /// name returns the first row unchanged, even when called concurrently.
    async fn upsert_agent_version(
        &self,
        version: &AgentVersion,
    ) -> Result<AgentVersion, StoreError>;

    /// Reads one version.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id.
    async fn get_agent_version(&self, id: AgentVersionId) -> Result<AgentVersion, StoreError>;

    /// Finds a version by name.
    async fn find_agent_version_by_name(
        &self,
        name: &str,
    ) -> Result<Option<AgentVersion>, StoreError>;

    /// Every version, oldest first.
    async fn list_agent_versions(&self) -> Result<Vec<AgentVersion>, StoreError>;
}
