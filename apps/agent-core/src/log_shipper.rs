//! Workload log shipping (AP §6.6, §7.8): every period, for each deployment
//! with logs enabled, collect the lines since its last successful
//! collection, turn them into records, and upload them in chunks.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::agent::{WorkloadLogLine, chunk_log_records, parse_log_line};
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_domain::protocol::LogRecordInput;
use distr_ports::Clock;
use distr_ports::agent::HubApi;
use tokio::time::{Instant, interval_at};

/// One deployment whose logs are shipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSubject<H> {
    /// The deployment.
    pub deployment_id: DeploymentId,
    /// The revision in the agent's local state (the last one applied).
    pub revision_id: RevisionId,
    /// What the source needs to collect (e.g. the docker state record).
    pub handle: H,
}

/// Where an agent's workload logs come from.
#[async_trait]
pub trait LogSource: Send + Sync + std::fmt::Debug {
    /// Source-specific handle of a subject.
    type Handle: Send + Sync;

    /// The deployments with logs enabled, from the local state.
    ///
    /// # Errors
    /// A text for the log when the local state cannot be read.
    async fn subjects(&self) -> Result<Vec<LogSubject<Self::Handle>>, String>;

    /// The lines of a subject since `since`, with timestamps.
    ///
    /// # Errors
    /// A text for the log when collection failed.
    async fn collect(
        &self,
        handle: &Self::Handle,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, String>;
}

/// Ships the workload logs of one source.
#[derive(Debug)]
pub struct LogShipper<S> {
    hub: Arc<dyn HubApi>,
    source: S,
    clock: Arc<dyn Clock>,
    period: Duration,
    last_success: HashMap<DeploymentId, DateTime<Utc>>,
}

impl<S: LogSource> LogShipper<S> {
    /// A shipper collecting every `period`.
    #[must_use]
    pub fn new(hub: Arc<dyn HubApi>, source: S, clock: Arc<dyn Clock>, period: Duration) -> Self {
        Self {
            hub,
            source,
            clock,
            period,
            last_success: HashMap::new(),
        }
    }

    /// Ships every period, forever; the first round comes one period after start.
    pub async fn run(mut self) {
        let mut ticker = interval_at(Instant::now() + self.period, self.period);
        loop {
            ticker.tick().await;
            self.ship_once().await;
        }
    }

    /// One collection round. A deployment seen for the first time starts at
    /// *now*; its window advances only when its collection succeeded. A
    /// failed upload is logged, not retried.
    pub async fn ship_once(&mut self) {
        let now = self.clock.now();
        let subjects = match self.source.subjects().await {
            Ok(subjects) => subjects,
            Err(err) => {
                tracing::warn!(error = %err, "cannot list deployments for log collection");
                return;
            }
        };
        self.last_success
            .retain(|id, _| subjects.iter().any(|s| s.deployment_id == *id));
        let mut records = Vec::new();
        for subject in &subjects {
            let since = *self
                .last_success
                .entry(subject.deployment_id)
                .or_insert(now);
            match self.source.collect(&subject.handle, since).await {
                Ok(lines) => {
                    self.last_success.insert(subject.deployment_id, now);
                    records.extend(
                        lines
                            .into_iter()
                            .filter_map(|line| to_record(subject, line, now)),
                    );
                }
                Err(err) => tracing::warn!(
                    deployment.id = %subject.deployment_id,
                    error = %err,
                    "cannot collect workload logs"
                ),
            }
        }
        for chunk in chunk_log_records(records) {
            if let Err(err) = self.hub.put_logs(&chunk).await {
                tracing::warn!(error = %err, records = chunk.len(), "cannot upload workload logs");
            }
        }
    }
}

fn to_record<H>(
    subject: &LogSubject<H>,
    line: WorkloadLogLine,
    collected_at: DateTime<Utc>,
) -> Option<LogRecordInput> {
    let (timestamp, body) = parse_log_line(&line.line, collected_at)?;
    Some(LogRecordInput {
        deployment_id: subject.deployment_id,
        deployment_revision_id: subject.revision_id,
        resource: line.resource,
        timestamp,
        severity: line.severity,
        body,
    })
}

#[cfg(test)]
mod tests;
