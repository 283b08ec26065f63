use async_trait::async_trait;
use distr_domain::agent::DockerRecord;
use distr_domain::ids::DeploymentId;

/// A failure of the agent's local state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// The state directory or a file cannot be read or written.
    #[error("state i/o error: {0}")]
    Io(String),
    /// A state file is not valid JSON of the expected shape.
    #[error("corrupt state file {file}: {detail}")]
    Corrupt {
        /// The file.
        file: String,
        /// What is wrong.
        detail: String,
    },
}

/// The docker agent's state records: `<scratch>/deployments/<id>` files in
/// upstream's exact format (AP §7.2). The only source of truth for orphans.
#[async_trait]
pub trait DockerStateStore: Send + Sync + std::fmt::Debug {
    /// Every record. MUST return `Err` when the directory is unreadable (callers
    /// then skip orphan removal); a missing directory is an empty list.
    async fn list(&self) -> Result<Vec<DockerRecord>, StateError>;

    /// Writes (replaces) the record of `record.id`, atomically.
    async fn put(&self, record: &DockerRecord) -> Result<(), StateError>;

    /// Deletes a record; a missing one MUST be ignored.
    async fn delete(&self, id: DeploymentId) -> Result<(), StateError>;
}
