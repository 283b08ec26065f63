//! The error every store port returns.

/// A store failure, mapped by each adapter from its backend's errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist (or is outside the caller's organization).
    #[error("not found")]
    NotFound,
    /// A uniqueness constraint was violated; the text names the constraint
    /// (e.g. `organization slug`, `user email`, `version name`, `release name`).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The row is still referenced (foreign key) and cannot be deleted.
    #[error("in use: {0}")]
    InUse(String),
    /// The change would leave an organization without a vendor admin (HS §2.2).
    #[error("the organization would have no vendor admin left")]
    LastAdmin,
    /// The backend cannot be reached or failed.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Stored data could not be decoded into domain types.
    #[error("corrupt row: {0}")]
    Corrupt(String),
}
