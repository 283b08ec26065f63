use async_trait::async_trait;
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

    /// Replaces value, `updated_at` and `updated_by` of an existing secret.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn update_secret(&self, secret: &Secret) -> Result<(), StoreError>;

    /// Deletes a secret.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
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
}
