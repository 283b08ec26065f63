//! Retention jobs (AP §9.5, HS §5.1, §6.2): one run deletes a job's expired
//! rows in batches (each batch its own transaction) under a database lease,
//! so one replica at a time runs a job and each scheduled slot runs once.
//! [`schedule`] fires runs from the `CLEANUP_*_CRON` variables; the `cleanup`
//! command runs them on demand.

pub mod schedule;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use distr_domain::retention::{RetentionJob, RetentionRule};
use distr_ports::store::LeaseRequest;
use distr_ports::{Clock, Store, StoreError};
use serde::Serialize;
use tokio::sync::watch;

use crate::config::HubConfig;

/// Rows deleted per transaction.
pub const BATCH: u32 = 1000;

/// How long a run may take when its `CLEANUP_*_TIMEOUT` is unset; also how
/// long its lease lasts before another replica may take over.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Extra lease time beyond the timeout, covering the batch running at the deadline.
const LEASE_MARGIN: Duration = Duration::from_secs(60);

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Nothing expired is left.
    Done,
    /// The timeout ended it at a batch boundary.
    TimedOut,
    /// Shutdown ended it at a batch boundary.
    Stopped,
    /// Its retention setting is unset.
    Disabled,
    /// Another process holds its lease, or already ran this slot.
    Busy,
}

/// What one run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobReport {
    /// The job.
    #[serde(serialize_with = "job_name")]
    pub job: RetentionJob,
    /// How it ended.
    pub outcome: Outcome,
    /// Rows deleted.
    pub deleted: u64,
}

fn job_name<S: serde::Serializer>(job: &RetentionJob, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(job.name())
}

/// Called after every batch with the job and the rows it deleted, and once
/// when a run completes (`Done`), for the metrics.
pub trait RetentionObserver: Send + Sync + std::fmt::Debug {
    /// A batch deleted `rows`.
    fn deleted(&self, job: RetentionJob, rows: u64);
    /// A run completed at `at`.
    fn succeeded(&self, job: RetentionJob, at: DateTime<Utc>);
}

/// An observer that records nothing.
#[derive(Debug, Default)]
pub struct NoObserver;

impl RetentionObserver for NoObserver {
    fn deleted(&self, _: RetentionJob, _: u64) {}
    fn succeeded(&self, _: RetentionJob, _: DateTime<Utc>) {}
}

/// Runs retention jobs for one process (the lease holder).
#[derive(Debug, Clone)]
pub struct Runner {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Settings (`STATUS_ENTRIES_MAX_AGE`, …).
    pub config: Arc<HubConfig>,
    /// This process's lease holder id.
    pub holder: String,
    /// Metrics.
    pub observer: Arc<dyn RetentionObserver>,
}

/// The lease name of a job.
#[must_use]
pub fn lease_name(job: RetentionJob) -> String {
    format!("retention:{}", job.name())
}

impl Runner {
    /// A runner with a fresh holder id.
    #[must_use]
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        config: Arc<HubConfig>,
        observer: Arc<dyn RetentionObserver>,
    ) -> Self {
        Self {
            store,
            clock,
            config,
            holder: uuid::Uuid::new_v4().to_string(),
            observer,
        }
    }

    /// The job's rule now, or `None` when its setting is unset.
    #[must_use]
    pub fn rule(&self, job: RetentionJob) -> Option<RetentionRule> {
        job.rule(
            self.clock.now(),
            match job.setting() {
                distr_domain::retention::RetentionSetting::MetricsMaxAge => {
                    self.config.metrics_entries_max_age
                }
                _ => self.config.status_entries_max_age,
            },
            self.config.log_record_entries_max_count,
        )
    }

    /// Runs `job` once for `slot`: takes the lease, deletes batches until
    /// nothing expired is left, `timeout` passes or `shutdown` turns true
    /// (both checked between batches), then releases the lease.
    ///
    /// # Errors
    /// Store failures (the lease is released where possible).
    pub async fn run(
        &self,
        job: RetentionJob,
        slot: DateTime<Utc>,
        timeout: Option<Duration>,
        shutdown: &watch::Receiver<bool>,
    ) -> Result<JobReport, StoreError> {
        let report = |outcome, deleted| JobReport {
            job,
            outcome,
            deleted,
        };
        let Some(rule) = self.rule(job) else {
            return Ok(report(Outcome::Disabled, 0));
        };
        let timeout = timeout.unwrap_or(DEFAULT_TIMEOUT);
        let now = self.clock.now();
        let ttl =
            chrono::Duration::from_std(timeout + LEASE_MARGIN).unwrap_or(chrono::Duration::MAX);
        let name = lease_name(job);
        let request = LeaseRequest {
            name: &name,
            holder: &self.holder,
            slot,
            now,
            expires_at: now
                .checked_add_signed(ttl)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        };
        if !self.store.acquire_lease(request).await? {
            return Ok(report(Outcome::Busy, 0));
        }
        tracing::info!(job = job.name(), slot = %slot, "retention job started");
        let result = self.batches(job, rule, timeout, shutdown).await;
        let released = self
            .store
            .release_lease(&name, &self.holder, self.clock.now())
            .await;
        let (outcome, deleted) = result?;
        released?;
        if outcome == Outcome::Done {
            self.observer.succeeded(job, self.clock.now());
        }
        tracing::info!(job = job.name(), slot = %slot, deleted, outcome = ?outcome, "retention job finished");
        Ok(report(outcome, deleted))
    }

    async fn batches(
        &self,
        job: RetentionJob,
        rule: RetentionRule,
        timeout: Duration,
        shutdown: &watch::Receiver<bool>,
    ) -> Result<(Outcome, u64), StoreError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut total = 0;
        loop {
            if *shutdown.borrow() {
                return Ok((Outcome::Stopped, total));
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok((Outcome::TimedOut, total));
            }
            let deleted = self.store.delete_expired(job, rule, BATCH).await?;
            total += deleted;
            if deleted > 0 {
                self.observer.deleted(job, deleted);
            }
            if deleted < u64::from(BATCH) {
                return Ok((Outcome::Done, total));
            }
        }
    }
}

#[cfg(test)]
mod tests;
