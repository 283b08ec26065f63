use async_trait::async_trait;
use distr_domain::ids::{CustomerOrganizationId, OrganizationId};
use distr_domain::organization::CustomerOrganization;

use super::StoreError;

/// Customer organizations.
#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// Inserts a customer.
    ///
    /// # Errors
    /// MUST return `Conflict` when the organization has a customer with that name.
    async fn create_customer(&self, customer: &CustomerOrganization) -> Result<(), StoreError>;

    /// Reads one customer of `org`.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn get_customer(
        &self,
        org: OrganizationId,
        id: CustomerOrganizationId,
    ) -> Result<CustomerOrganization, StoreError>;

    /// The customers of `org`, by name.
    async fn list_customers(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<CustomerOrganization>, StoreError>;
}
