use async_trait::async_trait;
use distr_domain::ids::OrganizationId;
use distr_domain::organization::Organization;
use distr_ports::StoreError;
use distr_ports::store::OrganizationStore;

use super::{MemoryStore, State, conflict};

fn slug_taken(state: &State, org: &Organization) -> bool {
    org.slug.as_ref().is_some_and(|slug| {
        state
            .organizations
            .values()
            .any(|o| o.id != org.id && o.slug.as_ref() == Some(slug))
    })
}

#[async_trait]
impl OrganizationStore for MemoryStore {
    async fn create_organization(&self, org: &Organization) -> Result<(), StoreError> {
        self.write(|s| {
            if s.organizations.contains_key(&org.id) {
                return Err(conflict("organization id"));
            }
            if slug_taken(s, org) {
                return Err(conflict("organization slug"));
            }
            s.organizations.insert(org.id, org.clone());
            Ok(())
        })
    }

    async fn get_organization(&self, id: OrganizationId) -> Result<Organization, StoreError> {
        self.read(|s| {
            s.organizations
                .get(&id)
                .cloned()
                .ok_or(StoreError::NotFound)
        })
    }

    async fn update_organization(&self, org: &Organization) -> Result<(), StoreError> {
        self.write(|s| {
            if !s.organizations.contains_key(&org.id) {
                return Err(StoreError::NotFound);
            }
            if slug_taken(s, org) {
                return Err(conflict("organization slug"));
            }
            let stored = s
                .organizations
                .get_mut(&org.id)
                .ok_or(StoreError::NotFound)?;
            // id and created_at are immutable; everything else is replaced.
            *stored = Organization {
                id: stored.id,
                created_at: stored.created_at,
                ..org.clone()
            };
            Ok(())
        })
    }

    async fn count_organizations(&self) -> Result<u64, StoreError> {
        self.read(|s| Ok(u64::try_from(s.organizations.len()).unwrap_or(u64::MAX)))
    }
}
