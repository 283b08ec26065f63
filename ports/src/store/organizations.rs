use async_trait::async_trait;
use distr_domain::ids::OrganizationId;
use distr_domain::organization::Organization;

use super::StoreError;

/// Vendor organizations.
#[async_trait]
pub trait OrganizationStore: Send + Sync {
    /// Inserts an organization.
    ///
    /// # Errors
    /// MUST return `Conflict` when another organization has the same slug.
    async fn create_organization(&self, org: &Organization) -> Result<(), StoreError>;

    /// Reads one organization.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id.
    async fn get_organization(&self, id: OrganizationId) -> Result<Organization, StoreError>;

    /// Replaces every mutable field of an existing organization.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id and `Conflict` for a taken slug.
    async fn update_organization(&self, org: &Organization) -> Result<(), StoreError>;

    /// Number of organizations (zero means first run).
    async fn count_organizations(&self) -> Result<u64, StoreError>;
}
