use async_trait::async_trait;
use distr_domain::ids::{CustomerOrganizationId, OrganizationId};
use distr_domain::organization::CustomerOrganization;

use super::StoreError;

/// The exact counts a customer's JSON carries (HS §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerCounts {
    /// The customer.
    pub customer_organization_id: CustomerOrganizationId,
    /// Memberships of the customer (customer members).
    pub users: u64,
    /// Deployment targets the customer owns.
    pub deployment_targets: u64,
}

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

    /// Exact user and target counts of every customer of `org`; a customer
    /// without users or targets MUST be listed with zeros.
    async fn customer_counts(&self, org: OrganizationId)
    -> Result<Vec<CustomerCounts>, StoreError>;

    /// Renames a customer of `customer.organization_id`.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization,
    /// and `Conflict` when another customer of the organization has the name.
    async fn update_customer(&self, customer: &CustomerOrganization) -> Result<(), StoreError>;

    /// Deletes a customer of `org` with, in one transaction, its memberships,
    /// the access tokens of those memberships, and its secrets (HS §2.5).
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization,
    /// and `InUse("deployment targets")`, deleting nothing, while it owns targets.
    async fn delete_customer(
        &self,
        org: OrganizationId,
        id: CustomerOrganizationId,
    ) -> Result<(), StoreError>;
}
