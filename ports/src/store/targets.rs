use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::ids::{AgentVersionId, CustomerOrganizationId, OrganizationId, TargetId};
use distr_domain::target::{DeploymentTarget, TargetSecretHash};

use super::StoreError;

/// What [`TargetStore::record_heartbeat`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeartbeatOutcome {
    /// Nothing written: same message and `last_seen_at` within 10 s.
    Coalesced,
    /// Only `last_seen_at` was updated.
    Refreshed,
    /// The message changed: a history row was inserted.
    MessageChanged,
}

/// Deployment targets.
#[async_trait]
pub trait TargetStore: Send + Sync {
    /// Inserts a target (its `heartbeat` and `secret` are normally `None`).
    async fn create_target(&self, target: &DeploymentTarget) -> Result<(), StoreError>;

    /// Reads a target of `org`.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn get_target(
        &self,
        org: OrganizationId,
        id: TargetId,
    ) -> Result<DeploymentTarget, StoreError>;

    /// Reads a target in any organization (agent authentication); `None` when absent.
    async fn find_target(&self, id: TargetId) -> Result<Option<DeploymentTarget>, StoreError>;

    /// Targets of `org`; with `customer`, only those owned by that customer.
    /// Order: vendor-owned first, then by customer, then by name.
    async fn list_targets(
        &self,
        org: OrganizationId,
        customer: Option<CustomerOrganizationId>,
    ) -> Result<Vec<DeploymentTarget>, StoreError>;

    /// Replaces the mutable fields (name, metrics flag, resources, desired agent version).
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn update_target(&self, target: &DeploymentTarget) -> Result<(), StoreError>;

    /// Deletes a target and cascades to its deployments, revisions, statuses,
    /// logs, metrics, heartbeat history and last-good payloads.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn delete_target(&self, org: OrganizationId, id: TargetId) -> Result<(), StoreError>;

    /// Atomically replaces salt and hash.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id.
    async fn set_target_secret(
        &self,
        id: TargetId,
        secret: &TargetSecretHash,
    ) -> Result<(), StoreError>;

    /// Records agent contact at `at` with `message`.
    /// MUST insert a heartbeat history row (and set `message_since`) only when
    /// the message differs from the current one or there is none; MUST NOT
    /// write when the message is unchanged and the stored `last_seen_at` is
    /// less than 10 s older than `at`; otherwise MUST update `last_seen_at`.
    /// An unknown target MUST be ignored (`Coalesced`).
    async fn record_heartbeat(
        &self,
        id: TargetId,
        at: DateTime<Utc>,
        message: &str,
    ) -> Result<HeartbeatOutcome, StoreError>;

    /// Sets the reported agent version. An unknown target MUST be ignored.
    async fn set_reported_agent_version(
        &self,
        id: TargetId,
        version: AgentVersionId,
    ) -> Result<(), StoreError>;
}
