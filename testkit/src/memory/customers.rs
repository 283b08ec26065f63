use async_trait::async_trait;
use distr_domain::ids::{CustomerOrganizationId, OrganizationId};
use distr_domain::organization::CustomerOrganization;
use distr_ports::StoreError;
use distr_ports::store::CustomerStore;

use super::{MemoryStore, conflict};

#[async_trait]
impl CustomerStore for MemoryStore {
    async fn create_customer(&self, customer: &CustomerOrganization) -> Result<(), StoreError> {
        self.write(|s| {
            if s.customers.contains_key(&customer.id) {
                return Err(conflict("customer id"));
            }
            let taken = s
                .customers
                .values()
                .any(|c| c.organization_id == customer.organization_id && c.name == customer.name);
            if taken {
                return Err(conflict("customer name"));
            }
            s.customers.insert(customer.id, customer.clone());
            Ok(())
        })
    }

    async fn get_customer(
        &self,
        org: OrganizationId,
        id: CustomerOrganizationId,
    ) -> Result<CustomerOrganization, StoreError> {
        self.read(|s| {
            s.customers
                .get(&id)
                .filter(|c| c.organization_id == org)
                .cloned()
                .ok_or(StoreError::NotFound)
        })
    }

    async fn list_customers(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<CustomerOrganization>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<CustomerOrganization> = s
                .customers
                .values()
                .filter(|c| c.organization_id == org)
                .cloned()
                .collect();
            rows.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
            Ok(rows)
        })
    }
}
