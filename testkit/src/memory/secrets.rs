use async_trait::async_trait;
use distr_domain::deployment::DeploymentRevision;
use distr_domain::ids::{
    CustomerOrganizationId, DeploymentId, OrganizationId, RevisionId, SecretId,
};
use distr_domain::secret::{LastGoodPayload, Secret};
use distr_ports::StoreError;
use distr_ports::store::{LastGoodPayloadStore, SecretStore};

use super::deployments::current_revision;
use super::{MemoryStore, State, conflict};

/// The current revisions, in the secret's scope, that reference its key.
fn referencing_revisions(s: &State, secret: &Secret) -> Vec<DeploymentRevision> {
    let mut rows: Vec<DeploymentRevision> = s
        .deployments
        .values()
        .filter(|d| {
            s.targets.get(&d.deployment_target_id).is_some_and(|t| {
                t.organization_id == secret.organization_id
                    && t.customer_organization_id == secret.customer_organization_id
            })
        })
        .filter_map(|d| current_revision(s, d.id))
        .filter(|r| r.references_secret(secret.key.as_str()))
        .cloned()
        .collect();
    rows.sort_by_key(|r| r.deployment_id);
    rows
}

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

    async fn get_secret(&self, org: OrganizationId, id: SecretId) -> Result<Secret, StoreError> {
        self.read(|s| {
            s.secrets
                .get(&id)
                .filter(|x| x.organization_id == org)
                .cloned()
                .ok_or(StoreError::NotFound)
        })
    }

    async fn list_all_secrets(&self) -> Result<Vec<Secret>, StoreError> {
        self.read(|s| Ok(s.secrets.values().cloned().collect()))
    }

    async fn change_secret_value(
        &self,
        secret: &Secret,
    ) -> Result<Vec<DeploymentRevision>, StoreError> {
        self.write(|s| {
            let stored = s
                .secrets
                .get(&secret.id)
                .filter(|x| x.organization_id == secret.organization_id)
                .cloned()
                .ok_or(StoreError::NotFound)?;
            let copies: Vec<DeploymentRevision> = referencing_revisions(s, &stored)
                .iter()
                .map(|r| {
                    r.secret_changed_copy(
                        RevisionId::from_uuid(uuid::Uuid::now_v7()),
                        secret.updated_at,
                        secret.updated_by_user_account_id,
                    )
                })
                .collect();
            if let Some(row) = s.secrets.get_mut(&secret.id) {
                row.value_ciphertext = secret.value_ciphertext.clone();
                row.updated_at = secret.updated_at;
                row.updated_by_user_account_id = secret.updated_by_user_account_id;
            }
            for copy in &copies {
                s.revisions.insert(copy.id, copy.clone());
            }
            Ok(copies)
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
            let stored = s
                .secrets
                .get(&id)
                .filter(|x| x.organization_id == org)
                .ok_or(StoreError::NotFound)?;
            if !referencing_revisions(s, stored).is_empty() {
                return Err(StoreError::InUse("secret".to_owned()));
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

    async fn list_all_last_good_payloads(&self) -> Result<Vec<LastGoodPayload>, StoreError> {
        self.read(|s| Ok(s.last_good.values().cloned().collect()))
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
