use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::deployment::{StatusRecord, StatusType};
use distr_domain::ids::{DeploymentId, RevisionId, StatusId};
use distr_ports::StoreError;
use distr_ports::store::{PageRequest, StatusStore};

use super::paging::newest_first;
use super::{MemoryStore, State, conflict};

/// The newest record of a revision by `last_reported_at`, ties by id.
fn newest_record(state: &State, revision: RevisionId) -> Option<&StatusRecord> {
    state
        .statuses
        .values()
        .filter(|r| r.deployment_revision_id == revision)
        .max_by_key(|r| (r.last_reported_at, r.id))
}

/// A deployment's latest status: the newest record of the newest revision
/// that has any record.
pub(super) fn latest_of(state: &State, deployment: DeploymentId) -> Option<&StatusRecord> {
    let revision = state
        .revisions
        .values()
        .filter(|r| r.deployment_id == deployment)
        .filter(|r| newest_record(state, r.id).is_some())
        .max_by_key(|r| (r.created_at, r.id))?;
    newest_record(state, revision.id)
}

#[async_trait]
impl StatusStore for MemoryStore {
    async fn record_status(
        &self,
        id: StatusId,
        revision: RevisionId,
        status_type: StatusType,
        message: &str,
        at: DateTime<Utc>,
    ) -> Result<StatusRecord, StoreError> {
        self.write(|s| {
            if !s.revisions.contains_key(&revision) {
                return Err(StoreError::NotFound);
            }
            let same = newest_record(s, revision)
                .filter(|r| r.status_type == status_type && r.message == message)
                .map(|r| r.id);
            if let Some(existing) = same {
                let record = s.statuses.get_mut(&existing).ok_or(StoreError::NotFound)?;
                record.last_reported_at = at;
                return Ok(record.clone());
            }
            if s.statuses.contains_key(&id) {
                return Err(conflict("status id"));
            }
            let record = StatusRecord {
                id,
                deployment_revision_id: revision,
                status_type,
                message: message.to_owned(),
                first_reported_at: at,
                last_reported_at: at,
            };
            s.statuses.insert(id, record.clone());
            Ok(record)
        })
    }

    async fn latest_statuses(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<(DeploymentId, StatusRecord)>, StoreError> {
        self.read(|s| {
            let mut seen = BTreeSet::new();
            Ok(deployments
                .iter()
                .filter(|d| seen.insert(**d))
                .filter_map(|deployment| {
                    latest_of(s, *deployment).map(|record| (*deployment, record.clone()))
                })
                .collect())
        })
    }

    async fn list_statuses(
        &self,
        deployment: DeploymentId,
        page: PageRequest,
    ) -> Result<Vec<StatusRecord>, StoreError> {
        self.read(|s| {
            let rows = s
                .statuses
                .values()
                .filter(|r| {
                    s.revisions
                        .get(&r.deployment_revision_id)
                        .is_some_and(|rev| rev.deployment_id == deployment)
                })
                .cloned();
            Ok(newest_first(
                rows,
                |r| (r.last_reported_at, r.id.as_uuid()),
                page,
            ))
        })
    }
}
