use async_trait::async_trait;
use distr_domain::ids::{CustomerOrganizationId, DeploymentId, OrganizationId, SecretId};
use distr_domain::secret::{LastGoodPayload, Secret};
use distr_ports::StoreError;
use distr_ports::store::{LastGoodPayloadStore, SecretStore};

use super::{MemoryStore, conflict};

#[async_trait]
impl SecretStore for MemoryStore {
    async fn create_secret(&self, secret: &Secret) -> Result<(), StoreError> {
        self.write(|s| {
            if s.secrets.contains_key(&secret.id) {
                return Err(conflict("secret id"));
            }
            let taken = s.secrets.values().any(|x| {
                x.organization_id == secret.organization_id
                    && x.customer_organization_id == secret.customer_organization_id
                    && x.key == secret.key
            });
            if taken {
                return Err(conflict("secret key"));
            }
            s.secrets.insert(secret.id, secret.clone());
            Ok(())
        })
    }

    async fn list_secrets(
        &self,
        org: OrganizationId,
        customer: Option<CustomerOrganizationId>,
    ) -> Result<Vec<Secret>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<Secret> = s
                .secrets
                .values()
                .filter(|x| x.organization_id == org && x.customer_organization_id == customer)
                .cloned()
                .collect();
            rows.sort_by(|a, b| a.key.cmp(&b.key));
            Ok(rows)
        })
    }

    async fn list_organization_secrets(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<Secret>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<Secret> = s
                .secrets
                .values()
                .filter(|x| x.organization_id == org)
                .cloned()
                .collect();
            rows.sort_by(|a, b| {
                (a.customer_organization_id, &a.key, a.id).cmp(&(
                    b.customer_organization_id,
                    &b.key,
                    b.id,
                ))
            });
            Ok(rows)
        })
    }

    async fn update_secret(&self, secret: &Secret) -> Result<(), StoreError> {
        self.write(|s| {
            let stored = s
                .secrets
                .get_mut(&secret.id)
                .filter(|x| x.organization_id == secret.organization_id)
                .ok_or(StoreError::NotFound)?;
            stored.value_ciphertext = secret.value_ciphertext.clone();
            stored.updated_at = secret.updated_at;
            stored.updated_by_user_account_id = secret.updated_by_user_account_id;
            Ok(())
        })
    }

    async fn delete_secret(&self, org: OrganizationId, id: SecretId) -> Result<(), StoreError> {
        self.write(|s| {
            let owned = s.secrets.get(&id).is_some_and(|x| x.organization_id == org);
            if !owned {
                return Err(StoreError::NotFound);
            }
            s.secrets.remove(&id);
            Ok(())
        })
    }
}

#[async_trait]
impl LastGoodPayloadStore for MemoryStore {
    async fn get_last_good_payloads(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<LastGoodPayload>, StoreError> {
        self.read(|s| {
            let mut seen = std::collections::BTreeSet::new();
            Ok(deployments
                .iter()
                .filter(|d| seen.insert(**d))
                .filter_map(|d| s.last_good.get(d).cloned())
                .collect())
        })
    }

    async fn put_last_good_payload(&self, payload: &LastGoodPayload) -> Result<(), StoreError> {
        self.write(|s| {
            // The deployment may have been undeployed while the payload was built.
            if s.deployments.contains_key(&payload.deployment_id) {
                s.last_good.insert(payload.deployment_id, payload.clone());
            }
            Ok(())
        })
    }
}
