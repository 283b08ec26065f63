//! [`MemoryStore`]: an in-memory implementation of every store port.
//!
//! It passes the same contract suite as the SQL adapters, so Hub tests that
//! run against it see the same conflicts, scoping, ordering, cascades and
//! coalescing as production.

mod access_tokens;
mod agent_versions;
mod applications;
mod customers;
mod deployments;
mod fleet;
mod organizations;
mod paging;
mod retention;
mod secrets;
mod settings;
mod statuses;
mod targets;
mod telemetry;
mod users;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use distr_domain::application::{Application, ApplicationVersion};
use distr_domain::deployment::{Deployment, DeploymentRevision, StatusRecord};
use distr_domain::ids::{
    AccessTokenId, AgentVersionId, ApplicationId, ApplicationVersionId, CustomerOrganizationId,
    DeploymentId, LogRecordId, MetricsSampleId, OrganizationId, RevisionId, SecretId, StatusId,
    TargetId, UserAccountId,
};
use distr_domain::organization::{CustomerOrganization, Organization};
use distr_domain::secret::{LastGoodPayload, Secret};
use distr_domain::target::{AgentVersion, DeploymentTarget};
use distr_domain::telemetry::{
    DeploymentLogRecord, HeartbeatChange, MetricsSample, TargetLogRecord,
};
use distr_domain::user::{AccessToken, Membership, UserAccount};
use distr_ports::{Store, StoreError};

/// Every row, as plain collections guarded by one lock: each port method is
/// one critical section, which makes it trivially atomic like a transaction.
#[derive(Debug, Default)]
struct State {
    organizations: BTreeMap<OrganizationId, Organization>,
    users: BTreeMap<UserAccountId, UserAccount>,
    memberships: BTreeMap<(OrganizationId, UserAccountId), Membership>,
    access_tokens: BTreeMap<AccessTokenId, AccessToken>,
    customers: BTreeMap<CustomerOrganizationId, CustomerOrganization>,
    applications: BTreeMap<ApplicationId, Application>,
    versions: BTreeMap<ApplicationVersionId, ApplicationVersion>,
    agent_versions: BTreeMap<AgentVersionId, AgentVersion>,
    targets: BTreeMap<TargetId, DeploymentTarget>,
    heartbeat_changes: Vec<HeartbeatChange>,
    deployments: BTreeMap<DeploymentId, Deployment>,
    revisions: BTreeMap<RevisionId, DeploymentRevision>,
    statuses: BTreeMap<StatusId, StatusRecord>,
    metrics: BTreeMap<MetricsSampleId, MetricsSample>,
    deployment_logs: BTreeMap<LogRecordId, DeploymentLogRecord>,
    target_logs: BTreeMap<LogRecordId, TargetLogRecord>,
    secrets: BTreeMap<SecretId, Secret>,
    last_good: BTreeMap<DeploymentId, LastGoodPayload>,
    settings: BTreeMap<String, Vec<u8>>,
    leases: BTreeMap<String, Lease>,
}

/// A retention lease row.
#[derive(Debug, Clone)]
struct Lease {
    holder: String,
    slot: chrono::DateTime<chrono::Utc>,
    expires_at: chrono::DateTime<chrono::Utc>,
}

impl State {
    /// Removes a deployment and every row hanging off it.
    fn cascade_delete_deployment(&mut self, id: DeploymentId) {
        self.deployments.remove(&id);
        let revisions: Vec<RevisionId> = self
            .revisions
            .values()
            .filter(|r| r.deployment_id == id)
            .map(|r| r.id)
            .collect();
        for revision in &revisions {
            self.revisions.remove(revision);
        }
        self.statuses
            .retain(|_, s| !revisions.contains(&s.deployment_revision_id));
        self.deployment_logs.retain(|_, l| l.deployment_id != id);
        self.last_good.remove(&id);
    }
}

/// An in-memory [`Store`]. Cheap to create; every instance is independent.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
    unavailable: AtomicBool,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every call (including `ping`) fail with `Unavailable` while
    /// `down` is true, to test how callers handle an unreachable database.
    pub fn set_unavailable(&self, down: bool) {
        self.unavailable.store(down, Ordering::SeqCst);
    }

    /// The heartbeat-message history of a target, oldest first. The ports
    /// have no reader for it; tests use this to check what was written.
    ///
    /// # Errors
    /// `Unavailable` when the store was made unavailable.
    pub fn heartbeat_history(&self, target: TargetId) -> Result<Vec<HeartbeatChange>, StoreError> {
        self.read(|s| {
            Ok(s.heartbeat_changes
                .iter()
                .filter(|c| c.deployment_target_id == target)
                .cloned()
                .collect())
        })
    }

    /// Runs `f` on the state under the lock. Mutations made by a failing `f`
    /// must not exist, so every writer validates before it changes anything.
    fn write<R>(
        &self,
        f: impl FnOnce(&mut State) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        if self.unavailable.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable(
                "memory store switched off".to_owned(),
            ));
        }
        let mut state = self
            .state
            .lock()
            .map_err(|_| StoreError::Unavailable("memory store lock poisoned".to_owned()))?;
        f(&mut state)
    }

    /// Runs `f` on the state under the lock, read-only.
    fn read<R>(&self, f: impl FnOnce(&State) -> Result<R, StoreError>) -> Result<R, StoreError> {
        self.write(|s| f(s))
    }
}

fn conflict(what: &str) -> StoreError {
    StoreError::Conflict(what.to_owned())
}

#[async_trait]
impl Store for MemoryStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.read(|_| Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use distr_ports::store::{OrganizationStore as _, TargetStore as _};

    use super::*;
    use crate::builders::{OrganizationBuilder, TargetBuilder, at_seconds};

    #[tokio::test]
    async fn switched_off_store_is_unavailable_until_switched_on() {
        let store = MemoryStore::new();
        store.set_unavailable(true);
        assert!(matches!(
            store.ping().await,
            Err(StoreError::Unavailable(_))
        ));
        assert!(matches!(
            store.count_organizations().await,
            Err(StoreError::Unavailable(_))
        ));
        store.set_unavailable(false);
        store.ping().await.unwrap();
    }

    #[tokio::test]
    async fn heartbeat_history_holds_one_row_per_message_change() {
        let store = MemoryStore::new();
        let org = OrganizationBuilder::new().build();
        let target = TargetBuilder::docker(org.id).build();
        store.create_target(&target).await.unwrap();
        for (at, message) in [(0, "OK"), (20, "OK"), (21, "down"), (40, "OK")] {
            store
                .record_heartbeat(target.id, at_seconds(at), message)
                .await
                .unwrap();
        }
        let history = store.heartbeat_history(target.id).unwrap();
        let messages: Vec<&str> = history.iter().map(|c| c.message.as_str()).collect();
        assert_eq!(messages, ["OK", "down", "OK"]);
        assert_eq!(history[1].created_at, at_seconds(21));
        let current = store
            .find_target(target.id)
            .await
            .unwrap()
            .unwrap()
            .heartbeat
            .unwrap();
        assert_eq!(current.change_id, history[2].id);
    }
}
