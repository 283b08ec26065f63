use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::retention::{RetentionJob, RetentionRule};

use super::StoreError;

/// A request for the lease of one scheduled run (HS §6.2): at most one
/// process holds a lease at a time, and each `slot` runs at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseRequest<'a> {
    /// The lease's name (one per retention job).
    pub name: &'a str,
    /// Who asks (one id per process).
    pub holder: &'a str,
    /// The scheduled run this lease is for (a cron fire time, or now for a manual run).
    pub slot: DateTime<Utc>,
    /// The current time.
    pub now: DateTime<Utc>,
    /// When the lease lapses unless renewed.
    pub expires_at: DateTime<Utc>,
}

/// Retention of reported data (AP §9.5) and the leases that keep replicas
/// from running the same job at once.
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Deletes, in one transaction, at most `batch` rows of `job` that `rule`
    /// expires, and returns how many it deleted (fewer than `batch` means none
    /// are left). MUST keep the newest row of every series: per target for
    /// heartbeat history, metrics and agent logs; per deployment for status
    /// records (newest by `lastReportedAt`); per (deployment, resource) for
    /// workload logs. `OlderThan(t)` MUST delete only rows strictly older than
    /// `t`; `KeepNewest(n)` MUST keep the newest `n` rows of every series by
    /// `timestamp` (ties by id). Repeated calls MUST converge (idempotent).
    async fn delete_expired(
        &self,
        job: RetentionJob,
        rule: RetentionRule,
        batch: u32,
    ) -> Result<u64, StoreError>;

    /// Takes or renews a lease and returns whether `holder` holds it now.
    /// MUST grant it when no lease of that name exists; when the existing one
    /// has lapsed (`expires_at <= now`) and was for an earlier slot; or when
    /// `holder` already holds it for the same slot (a renewal). Granting
    /// stores holder, slot and `expires_at`. MUST be atomic across processes
    /// sharing the database: of concurrent callers, at most one is granted.
    async fn acquire_lease(&self, request: LeaseRequest<'_>) -> Result<bool, StoreError>;

    /// Ends `holder`'s lease on `name` at `now`, keeping its slot (so that slot
    /// does not run again). MUST leave a lease held by someone else unchanged.
    async fn release_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}
