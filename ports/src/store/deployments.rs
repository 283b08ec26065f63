use async_trait::async_trait;
use distr_domain::deployment::{Deployment, DeploymentRevision};
use distr_domain::ids::{DeploymentId, RevisionId, TargetId};
use distr_domain::target::DeploymentTarget;

use super::StoreError;

/// Deployments and their immutable revisions.
#[async_trait]
pub trait DeploymentStore: Send + Sync {
    /// Inserts a deployment and its first revision in one transaction.
    ///
    /// # Errors
    /// MUST return `Conflict("release name")` when the target already has a
    /// deployment with that release name, storing neither row; `NotFound`
    /// when the target does not exist.
    async fn create_deployment(
        &self,
        deployment: &Deployment,
        revision: &DeploymentRevision,
    ) -> Result<(), StoreError>;

    /// Inserts a new target, a deployment on it and the deployment's first
    /// revision in one transaction (HS §4.5 step 7): all three rows or none.
    /// `deployment.deployment_target_id` is `target.id`.
    ///
    /// # Errors
    /// MUST return the error `create_target` or `create_deployment` returns
    /// for the same row (e.g. `Conflict("deployment id")` for a taken
    /// deployment id), storing none of the three rows.
    async fn create_target_with_deployment(
        &self,
        target: &DeploymentTarget,
        deployment: &Deployment,
        revision: &DeploymentRevision,
    ) -> Result<(), StoreError>;

    /// Appends a revision to an existing deployment.
    ///
    /// # Errors
    /// MUST return `NotFound` when the deployment does not exist.
    async fn add_revision(&self, revision: &DeploymentRevision) -> Result<(), StoreError>;

    /// Reads a deployment (callers scope it through its target).
    async fn find_deployment(&self, id: DeploymentId) -> Result<Option<Deployment>, StoreError>;

    /// The deployments of the given targets, in creation order (ties by id),
    /// in a bounded number of queries.
    async fn list_deployments_of_targets(
        &self,
        targets: &[TargetId],
    ) -> Result<Vec<Deployment>, StoreError>;

    /// Sets `logs_enabled`; creates no revision.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown deployment.
    async fn set_logs_enabled(&self, id: DeploymentId, enabled: bool) -> Result<(), StoreError>;

    /// Deletes a deployment with its revisions, statuses, logs and last-good payload.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown deployment.
    async fn delete_deployment(&self, id: DeploymentId) -> Result<(), StoreError>;

    /// The current revision of each given deployment: the newest by
    /// `created_at`, ties broken by the greater id. Deployments without
    /// revisions are left out.
    async fn current_revisions(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<DeploymentRevision>, StoreError>;

    /// Reads one revision.
    async fn find_revision(&self, id: RevisionId)
    -> Result<Option<DeploymentRevision>, StoreError>;

    /// All revisions of a deployment, newest first (ties by the greater id first).
    async fn list_revisions(
        &self,
        deployment: DeploymentId,
    ) -> Result<Vec<DeploymentRevision>, StoreError>;
}
