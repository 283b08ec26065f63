use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::retention::{RetentionJob, RetentionRule};
use distr_ports::StoreError;
use distr_ports::store::{LeaseRequest, RetentionStore};
use uuid::Uuid;

use super::{Lease, MemoryStore};

/// One row as retention sees it: (series, time, id).
type Row = (String, DateTime<Utc>, Uuid);

/// The ids `rule` expires among `rows`, oldest first, at most `batch`.
fn expired(rows: Vec<Row>, rule: RetentionRule, batch: u32) -> BTreeSet<Uuid> {
    let mut series: BTreeMap<String, Vec<(DateTime<Utc>, Uuid)>> = BTreeMap::new();
    for (key, at, id) in rows {
        series.entry(key).or_default().push((at, id));
    }
    let mut doomed: Vec<(DateTime<Utc>, Uuid)> = Vec::new();
    for mut rows in series.into_values() {
        // Newest first, ties by greater id.
        rows.sort_by(|a, b| b.cmp(a));
        for (rank, (at, id)) in rows.into_iter().enumerate() {
            let rank = u64::try_from(rank).unwrap_or(u64::MAX);
            let expires = match rule {
                RetentionRule::OlderThan(cutoff) => rank >= 1 && at < cutoff,
                RetentionRule::KeepNewest(keep) => rank >= keep,
            };
            if expires {
                doomed.push((at, id));
            }
        }
    }
    doomed.sort();
    doomed
        .into_iter()
        .take(usize::try_from(batch).unwrap_or(usize::MAX))
        .map(|(_, id)| id)
        .collect()
}

#[async_trait]
impl RetentionStore for MemoryStore {
    async fn delete_expired(
        &self,
        job: RetentionJob,
        rule: RetentionRule,
        batch: u32,
    ) -> Result<u64, StoreError> {
        self.write(|s| {
            let before;
            let after;
            match job {
                RetentionJob::DeploymentTargetStatus => {
                    let rows = s
                        .heartbeat_changes
                        .iter()
                        .map(|c| {
                            (
                                c.deployment_target_id.to_string(),
                                c.created_at,
                                c.id.as_uuid(),
                            )
                        })
                        .collect();
                    let doomed = expired(rows, rule, batch);
                    before = s.heartbeat_changes.len();
                    s.heartbeat_changes
                        .retain(|c| !doomed.contains(&c.id.as_uuid()));
                    after = s.heartbeat_changes.len();
                }
                RetentionJob::DeploymentRevisionStatus => {
                    let rows = s
                        .statuses
                        .values()
                        .map(|r| {
                            let deployment = s
                                .revisions
                                .get(&r.deployment_revision_id)
                                .map(|rev| rev.deployment_id.to_string())
                                .unwrap_or_default();
                            (deployment, r.last_reported_at, r.id.as_uuid())
                        })
                        .collect();
                    let doomed = expired(rows, rule, batch);
                    before = s.statuses.len();
                    s.statuses.retain(|id, _| !doomed.contains(&id.as_uuid()));
                    after = s.statuses.len();
                }
                RetentionJob::DeploymentTargetMetrics => {
                    let rows = s
                        .metrics
                        .values()
                        .map(|m| {
                            (
                                m.deployment_target_id.to_string(),
                                m.created_at,
                                m.id.as_uuid(),
                            )
                        })
                        .collect();
                    let doomed = expired(rows, rule, batch);
                    before = s.metrics.len();
                    s.metrics.retain(|id, _| !doomed.contains(&id.as_uuid()));
                    after = s.metrics.len();
                }
                RetentionJob::DeploymentLogRecord => {
                    let rows = s
                        .deployment_logs
                        .values()
                        .map(|l| {
                            (
                                format!("{}/{}", l.deployment_id, l.resource),
                                l.timestamp,
                                l.id.as_uuid(),
                            )
                        })
                        .collect();
                    let doomed = expired(rows, rule, batch);
                    before = s.deployment_logs.len();
                    s.deployment_logs
                        .retain(|id, _| !doomed.contains(&id.as_uuid()));
                    after = s.deployment_logs.len();
                }
                RetentionJob::DeploymentTargetLogRecord => {
                    let rows = s
                        .target_logs
                        .values()
                        .map(|l| {
                            (
                                l.deployment_target_id.to_string(),
                                l.timestamp,
                                l.id.as_uuid(),
                            )
                        })
                        .collect();
                    let doomed = expired(rows, rule, batch);
                    before = s.target_logs.len();
                    s.target_logs
                        .retain(|id, _| !doomed.contains(&id.as_uuid()));
                    after = s.target_logs.len();
                }
            }
            Ok(u64::try_from(before - after).unwrap_or(u64::MAX))
        })
    }

    async fn acquire_lease(&self, request: LeaseRequest<'_>) -> Result<bool, StoreError> {
        self.write(|s| {
            let granted = match s.leases.get(request.name) {
                None => true,
                Some(lease) => {
                    (lease.expires_at <= request.now && lease.slot < request.slot)
                        || (lease.holder == request.holder && lease.slot == request.slot)
                }
            };
            if granted {
                s.leases.insert(
                    request.name.to_owned(),
                    Lease {
                        holder: request.holder.to_owned(),
                        slot: request.slot,
                        expires_at: request.expires_at,
                    },
                );
            }
            Ok(granted)
        })
    }

    async fn release_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            if let Some(lease) = s.leases.get_mut(name).filter(|l| l.holder == holder) {
                lease.expires_at = now;
            }
            Ok(())
        })
    }
}
