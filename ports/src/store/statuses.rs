use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::deployment::{StatusRecord, StatusType};
use distr_domain::ids::{DeploymentId, RevisionId, StatusId};
use uuid::Uuid;

use super::StoreError;

/// A position in a newest-first listing: rows strictly older than (time, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Sort time of the last row seen.
    pub time: DateTime<Utc>,
    /// Id of the last row seen.
    pub id: Uuid,
}

/// A page of a newest-first listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1–100 rows.
    pub limit: u32,
    /// Only rows strictly older than this position.
    pub before: Option<Cursor>,
    /// Only rows strictly newer than this time.
    pub after: Option<DateTime<Utc>>,
}

impl PageRequest {
    /// The first page of `limit` rows.
    #[must_use]
    pub const fn first(limit: u32) -> Self {
        Self {
            limit,
            before: None,
            after: None,
        }
    }
}

/// Coalesced deployment statuses (AP §9.2).
#[async_trait]
pub trait StatusStore: Send + Sync {
    /// Records a report on `revision` at `at`.
    /// When the newest record of the same revision has the same type and
    /// message, MUST only set its `last_reported_at` to `at` and return it;
    /// otherwise MUST insert a record with `id`, `first_reported_at` =
    /// `last_reported_at` = `at` and return it.
    ///
    /// # Errors
    /// MUST return `NotFound` when the revision does not exist.
    async fn record_status(
        &self,
        id: StatusId,
        revision: RevisionId,
        status_type: StatusType,
        message: &str,
        at: DateTime<Utc>,
    ) -> Result<StatusRecord, StoreError>;

    /// For each deployment, its latest status: the newest record (by
    /// `last_reported_at`, ties by id) of the newest revision that has any record.
    /// Deployments without records are left out. Bounded number of queries.
    async fn latest_statuses(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<(DeploymentId, StatusRecord)>, StoreError>;

    /// Records of all revisions of a deployment, newest `last_reported_at` first (ties by id).
    async fn list_statuses(
        &self,
        deployment: DeploymentId,
        page: PageRequest,
    ) -> Result<Vec<StatusRecord>, StoreError>;
}
