use async_trait::async_trait;
use distr_domain::deployment::DeploymentRevision;
use distr_domain::ids::{CustomerOrganizationId, DeploymentId, OrganizationId, SecretId};
use distr_domain::secret::{LastGoodPayload, Secret};

use super::StoreError;

/// Encrypted secrets (HS §2.3).
#[async_trait]
pub trait SecretStore: Send + Sync {
    /// Inserts a secret.
    ///
    /// # Errors
    /// MUST return `Conflict` when the key exists in the same (organization, customer) scope.
    async fn create_secret(&self, secret: &Secret) -> Result<(), StoreError>;

    /// The secrets of exactly one scope: vendor-level (`customer` = `None`) or
    /// one customer's. There is no fallback between scopes.
    async fn list_secrets(
        &self,
        org: OrganizationId,
        customer: Option<CustomerOrganizationId>,
    ) -> Result<Vec<Secret>, StoreError>;

    /// The secrets of every scope of `org` (vendor-level and all customers'),
    /// ordered by customer (vendor-level first), key and id, in one query
    /// (HS §6.1: listing targets redacts with every owner's secrets). MUST
    /// NOT return secrets of other organizations.
    async fn list_organization_secrets(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<Secret>, StoreError>;

    /// Reads one secret of `org`.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn get_secret(&self, org: OrganizationId, id: SecretId) -> Result<Secret, StoreError>;

    /// Every secret of every organization, by id (re-encryption, HS §5.2).
    async fn list_all_secrets(&self) -> Result<Vec<Secret>, StoreError>;

    /// Replaces value, `updated_at` and `updated_by` of an existing secret
    /// and creates no revision (re-encryption).
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn update_secret(&self, secret: &Secret) -> Result<(), StoreError>;

    /// A user changed the value (HS §3.8 "Secret changes"): in one transaction
    /// it MUST replace value, `updated_at` and `updated_by` like
    /// [`update_secret`](Self::update_secret), and add to every deployment on
    /// a target in the secret's scope (same organization; owned by exactly the
    /// secret's customer, or vendor-owned for a vendor-level secret) whose
    /// current revision references the key
    /// ([`DeploymentRevision::references_secret`]) one
    /// [`secret_changed_copy`](DeploymentRevision::secret_changed_copy) of that
    /// revision at `updated_at` by `updated_by`, with a fresh id. Returns the
    /// added revisions; other deployments get none.
    ///
    /// # Errors
    /// MUST return `NotFound`, changing nothing, for an unknown id or one of
    /// another organization.
    async fn change_secret_value(
        &self,
        secret: &Secret,
    ) -> Result<Vec<DeploymentRevision>, StoreError>;

    /// Deletes a secret.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization,
    /// and `InUse("secret")`, deleting nothing, while the current revision of a
    /// deployment in the secret's scope (as for
    /// [`change_secret_value`](Self::change_secret_value)) references the key.
    async fn delete_secret(&self, org: OrganizationId, id: SecretId) -> Result<(), StoreError>;
}

/// Encrypted last-good agent payloads (AP §11e).
#[async_trait]
pub trait LastGoodPayloadStore: Send + Sync {
    /// The payloads of the given deployments; those without one are left out.
    async fn get_last_good_payloads(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<LastGoodPayload>, StoreError>;

    /// Inserts or replaces the payload of a deployment. A deployment that no
    /// longer exists MUST be ignored (it was undeployed meanwhile).
    async fn put_last_good_payload(&self, payload: &LastGoodPayload) -> Result<(), StoreError>;

    /// Every stored payload, by deployment id (re-encryption, HS §5.2).
    async fn list_all_last_good_payloads(&self) -> Result<Vec<LastGoodPayload>, StoreError>;
}
