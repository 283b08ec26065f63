use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use distr_domain::ids::{
    AgentVersionId, CustomerOrganizationId, HeartbeatChangeId, OrganizationId, TargetId,
};
use distr_domain::target::{DeploymentTarget, Heartbeat, TargetSecretHash};
use distr_domain::telemetry::HeartbeatChange;
use distr_ports::StoreError;
use distr_ports::store::{HeartbeatOutcome, TargetStore};
use uuid::Uuid;

use super::{MemoryStore, State, conflict};

/// Same-message contacts closer than this to the stored `last_seen_at` are not written.
const HEARTBEAT_COALESCE: TimeDelta = TimeDelta::seconds(10);

/// Inserts a target into the locked state (shared by `create_target` and
/// `create_target_with_deployment`).
pub(super) fn insert_target(s: &mut State, target: &DeploymentTarget) -> Result<(), StoreError> {
    if s.targets.contains_key(&target.id) {
        return Err(conflict("target id"));
    }
    s.targets.insert(target.id, target.clone());
    Ok(())
}

#[async_trait]
impl TargetStore for MemoryStore {
    async fn create_target(&self, target: &DeploymentTarget) -> Result<(), StoreError> {
        self.write(|s| insert_target(s, target))
    }

    async fn get_target(
        &self,
        org: OrganizationId,
        id: TargetId,
    ) -> Result<DeploymentTarget, StoreError> {
        self.read(|s| {
            s.targets
                .get(&id)
                .filter(|t| t.organization_id == org)
                .cloned()
                .ok_or(StoreError::NotFound)
        })
    }

    async fn find_target(&self, id: TargetId) -> Result<Option<DeploymentTarget>, StoreError> {
        self.read(|s| Ok(s.targets.get(&id).cloned()))
    }

    async fn list_targets(
        &self,
        org: OrganizationId,
        customer: Option<CustomerOrganizationId>,
    ) -> Result<Vec<DeploymentTarget>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<DeploymentTarget> = s
                .targets
                .values()
                .filter(|t| t.organization_id == org)
                .filter(|t| customer.is_none() || t.customer_organization_id == customer)
                .cloned()
                .collect();
            // `None < Some(_)`: vendor-owned targets come first.
            rows.sort_by(|a, b| {
                (a.customer_organization_id, a.name.as_str(), a.id).cmp(&(
                    b.customer_organization_id,
                    b.name.as_str(),
                    b.id,
                ))
            });
            Ok(rows)
        })
    }

    async fn update_target(&self, target: &DeploymentTarget) -> Result<(), StoreError> {
        self.write(|s| {
            let stored = s
                .targets
                .get_mut(&target.id)
                .filter(|t| t.organization_id == target.organization_id)
                .ok_or(StoreError::NotFound)?;
            stored.name = target.name.clone();
            stored.metrics_enabled = target.metrics_enabled;
            stored.resources = target.resources.clone();
            stored.agent_version_id = target.agent_version_id;
            Ok(())
        })
    }

    async fn delete_target(&self, org: OrganizationId, id: TargetId) -> Result<(), StoreError> {
        self.write(|s| {
            let owned = s.targets.get(&id).is_some_and(|t| t.organization_id == org);
            if !owned {
                return Err(StoreError::NotFound);
            }
            let deployments: Vec<_> = s
                .deployments
                .values()
                .filter(|d| d.deployment_target_id == id)
                .map(|d| d.id)
                .collect();
            for deployment in deployments {
                s.cascade_delete_deployment(deployment);
            }
            s.metrics.retain(|_, m| m.deployment_target_id != id);
            s.target_logs.retain(|_, l| l.deployment_target_id != id);
            s.heartbeat_changes.retain(|c| c.deployment_target_id != id);
            s.targets.remove(&id);
            Ok(())
        })
    }

    async fn set_target_secret(
        &self,
        id: TargetId,
        secret: &TargetSecretHash,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            let stored = s.targets.get_mut(&id).ok_or(StoreError::NotFound)?;
            stored.secret = Some(secret.clone());
            Ok(())
        })
    }

    async fn record_heartbeat(
        &self,
        id: TargetId,
        at: DateTime<Utc>,
        message: &str,
    ) -> Result<HeartbeatOutcome, StoreError> {
        self.write(|s| {
            let Some(target) = s.targets.get_mut(&id) else {
                return Ok(HeartbeatOutcome::Coalesced);
            };
            match &mut target.heartbeat {
                Some(current) if current.message == message => {
                    if at.signed_duration_since(current.last_seen_at) < HEARTBEAT_COALESCE {
                        return Ok(HeartbeatOutcome::Coalesced);
                    }
                    current.last_seen_at = at;
                    Ok(HeartbeatOutcome::Refreshed)
                }
                _ => {
                    let change_id = HeartbeatChangeId::from_uuid(Uuid::now_v7());
                    target.heartbeat = Some(Heartbeat {
                        last_seen_at: at,
                        message: message.to_owned(),
                        message_since: at,
                        change_id,
                    });
                    s.heartbeat_changes.push(HeartbeatChange {
                        id: change_id,
                        deployment_target_id: id,
                        created_at: at,
                        message: message.to_owned(),
                    });
                    Ok(HeartbeatOutcome::MessageChanged)
                }
            }
        })
    }

    async fn set_reported_agent_version(
        &self,
        id: TargetId,
        version: AgentVersionId,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            if let Some(target) = s.targets.get_mut(&id) {
                target.reported_agent_version_id = Some(version);
            }
            Ok(())
        })
    }
}
