use std::collections::BTreeSet;

use async_trait::async_trait;
use distr_domain::deployment::{Deployment, DeploymentRevision};
use distr_domain::ids::{DeploymentId, RevisionId, TargetId};
use distr_domain::target::DeploymentTarget;
use distr_ports::StoreError;
use distr_ports::store::DeploymentStore;

use super::targets::insert_target;
use super::{MemoryStore, State, conflict};

/// The current revision: newest `created_at`, ties broken by the greater id.
pub(super) fn current_revision(
    state: &State,
    deployment: DeploymentId,
) -> Option<&DeploymentRevision> {
    state
        .revisions
        .values()
        .filter(|r| r.deployment_id == deployment)
        .max_by_key(|r| (r.created_at, r.id))
}

/// Inserts a deployment and its first revision into the locked state, checking
/// everything before writing (shared by `create_deployment` and
/// `create_target_with_deployment`).
fn insert_deployment(
    s: &mut State,
    deployment: &Deployment,
    revision: &DeploymentRevision,
) -> Result<(), StoreError> {
    if !s.targets.contains_key(&deployment.deployment_target_id) {
        return Err(StoreError::NotFound);
    }
    if s.deployments.contains_key(&deployment.id) {
        return Err(conflict("deployment id"));
    }
    if s.revisions.contains_key(&revision.id) {
        return Err(conflict("revision id"));
    }
    if let Some(release) = &deployment.release_name {
        let taken = s.deployments.values().any(|d| {
            d.deployment_target_id == deployment.deployment_target_id
                && d.release_name.as_ref() == Some(release)
        });
        if taken {
            return Err(conflict("release name"));
        }
    }
    s.deployments.insert(deployment.id, deployment.clone());
    s.revisions.insert(revision.id, revision.clone());
    Ok(())
}

#[async_trait]
impl DeploymentStore for MemoryStore {
    async fn create_deployment(
        &self,
        deployment: &Deployment,
        revision: &DeploymentRevision,
    ) -> Result<(), StoreError> {
        self.write(|s| insert_deployment(s, deployment, revision))
    }

    async fn create_target_with_deployment(
        &self,
        target: &DeploymentTarget,
        deployment: &Deployment,
        revision: &DeploymentRevision,
    ) -> Result<(), StoreError> {
        // One lock: nobody sees the target without its deployment.
        self.write(|s| {
            insert_target(s, target)?;
            let inserted = insert_deployment(s, deployment, revision);
            if inserted.is_err() {
                s.targets.remove(&target.id);
            }
            inserted
        })
    }

    async fn add_revision(&self, revision: &DeploymentRevision) -> Result<(), StoreError> {
        self.write(|s| {
            if !s.deployments.contains_key(&revision.deployment_id) {
                return Err(StoreError::NotFound);
            }
            if s.revisions.contains_key(&revision.id) {
                return Err(conflict("revision id"));
            }
            s.revisions.insert(revision.id, revision.clone());
            Ok(())
        })
    }

    async fn find_deployment(&self, id: DeploymentId) -> Result<Option<Deployment>, StoreError> {
        self.read(|s| Ok(s.deployments.get(&id).cloned()))
    }

    async fn list_deployments_of_targets(
        &self,
        targets: &[TargetId],
    ) -> Result<Vec<Deployment>, StoreError> {
        self.read(|s| {
            let targets: BTreeSet<TargetId> = targets.iter().copied().collect();
            let mut rows: Vec<Deployment> = s
                .deployments
                .values()
                .filter(|d| targets.contains(&d.deployment_target_id))
                .cloned()
                .collect();
            rows.sort_by_key(|d| (d.created_at, d.id));
            Ok(rows)
        })
    }

    async fn set_logs_enabled(&self, id: DeploymentId, enabled: bool) -> Result<(), StoreError> {
        self.write(|s| {
            let stored = s.deployments.get_mut(&id).ok_or(StoreError::NotFound)?;
            stored.logs_enabled = enabled;
            Ok(())
        })
    }

    async fn delete_deployment(&self, id: DeploymentId) -> Result<(), StoreError> {
        self.write(|s| {
            if !s.deployments.contains_key(&id) {
                return Err(StoreError::NotFound);
            }
            s.cascade_delete_deployment(id);
            Ok(())
        })
    }

    async fn current_revisions(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<DeploymentRevision>, StoreError> {
        self.read(|s| {
            let mut seen = BTreeSet::new();
            Ok(deployments
                .iter()
                .filter(|d| seen.insert(**d))
                .filter_map(|d| current_revision(s, *d).cloned())
                .collect())
        })
    }

    async fn find_revision(
        &self,
        id: RevisionId,
    ) -> Result<Option<DeploymentRevision>, StoreError> {
        self.read(|s| Ok(s.revisions.get(&id).cloned()))
    }

    async fn list_revisions(
        &self,
        deployment: DeploymentId,
    ) -> Result<Vec<DeploymentRevision>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<DeploymentRevision> = s
                .revisions
                .values()
                .filter(|r| r.deployment_id == deployment)
                .cloned()
                .collect();
            rows.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id)));
            Ok(rows)
        })
    }
}
