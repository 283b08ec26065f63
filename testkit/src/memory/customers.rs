use async_trait::async_trait;
use distr_domain::ids::{CustomerOrganizationId, OrganizationId};
use distr_domain::organization::CustomerOrganization;
use distr_ports::StoreError;
use distr_ports::store::{CustomerCounts, CustomerStore};

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

    async fn customer_counts(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<CustomerCounts>, StoreError> {
        self.read(|s| {
            let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
            let mut rows: Vec<&CustomerOrganization> = s
                .customers
                .values()
                .filter(|c| c.organization_id == org)
                .collect();
            rows.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
            Ok(rows
                .into_iter()
                .map(|c| CustomerCounts {
                    customer_organization_id: c.id,
                    users: count(
                        s.memberships
                            .values()
                            .filter(|m| m.customer_organization_id == Some(c.id))
                            .count(),
                    ),
                    deployment_targets: count(
                        s.targets
                            .values()
                            .filter(|t| t.customer_organization_id == Some(c.id))
                            .count(),
                    ),
                })
                .collect())
        })
    }

    async fn update_customer(&self, customer: &CustomerOrganization) -> Result<(), StoreError> {
        self.write(|s| {
            let known = s
                .customers
                .get(&customer.id)
                .is_some_and(|c| c.organization_id == customer.organization_id);
            if !known {
                return Err(StoreError::NotFound);
            }
            let taken = s.customers.values().any(|c| {
                c.organization_id == customer.organization_id
                    && c.id != customer.id
                    && c.name == customer.name
            });
            if taken {
                return Err(conflict("customer name"));
            }
            if let Some(stored) = s.customers.get_mut(&customer.id) {
                stored.name = customer.name.clone();
            }
            Ok(())
        })
    }

    async fn delete_customer(
        &self,
        org: OrganizationId,
        id: CustomerOrganizationId,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            if s.customers
                .get(&id)
                .is_none_or(|c| c.organization_id != org)
            {
                return Err(StoreError::NotFound);
            }
            if s.targets
                .values()
                .any(|t| t.customer_organization_id == Some(id))
            {
                return Err(StoreError::InUse("deployment targets".to_owned()));
            }
            let members: Vec<_> = s
                .memberships
                .values()
                .filter(|m| m.customer_organization_id == Some(id))
                .map(|m| (m.organization_id, m.user_account_id))
                .collect();
            s.access_tokens
                .retain(|_, t| !members.contains(&(t.organization_id, t.user_account_id)));
            for key in &members {
                s.memberships.remove(key);
            }
            s.secrets
                .retain(|_, x| x.customer_organization_id != Some(id));
            s.customers.remove(&id);
            Ok(())
        })
    }
}
