use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::ids::{DeploymentId, LogRecordId, TargetId};
use distr_domain::telemetry::{DeploymentLogRecord, MetricsSample, TargetLogRecord};
use distr_ports::StoreError;
use distr_ports::store::{LogStore, MetricsStore, PageRequest};

use super::paging::newest_first;
use super::{MemoryStore, conflict};

/// Checks a batch of new log ids is free of duplicates, within itself and
/// against `existing`, so a batch is stored all or none.
fn check_new_ids<T>(
    ids: impl Iterator<Item = LogRecordId>,
    existing: &BTreeMap<LogRecordId, T>,
) -> Result<(), StoreError> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if existing.contains_key(&id) || !seen.insert(id) {
            return Err(conflict("log record id"));
        }
    }
    Ok(())
}

#[async_trait]
impl MetricsStore for MemoryStore {
    async fn insert_metrics(&self, sample: &MetricsSample) -> Result<(), StoreError> {
        self.write(|s| {
            if !s.targets.contains_key(&sample.deployment_target_id) {
                return Err(StoreError::NotFound);
            }
            if s.metrics.contains_key(&sample.id) {
                return Err(conflict("metrics sample id"));
            }
            s.metrics.insert(sample.id, sample.clone());
            Ok(())
        })
    }

    async fn latest_metrics(&self, targets: &[TargetId]) -> Result<Vec<MetricsSample>, StoreError> {
        self.read(|s| {
            let mut seen = BTreeSet::new();
            Ok(targets
                .iter()
                .filter(|t| seen.insert(**t))
                .filter_map(|target| {
                    s.metrics
                        .values()
                        .filter(|m| m.deployment_target_id == *target)
                        .max_by_key(|m| (m.created_at, m.id))
                        .cloned()
                })
                .collect())
        })
    }

    async fn list_metrics(
        &self,
        target: TargetId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MetricsSample>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<MetricsSample> = s
                .metrics
                .values()
                .filter(|m| {
                    m.deployment_target_id == target && m.created_at >= from && m.created_at < to
                })
                .cloned()
                .collect();
            rows.sort_by_key(|m| (m.created_at, m.id));
            Ok(rows)
        })
    }
}

#[async_trait]
impl LogStore for MemoryStore {
    async fn insert_deployment_logs(
        &self,
        records: &[DeploymentLogRecord],
    ) -> Result<(), StoreError> {
        self.write(|s| {
            if records
                .iter()
                .any(|r| !s.deployments.contains_key(&r.deployment_id))
            {
                return Err(StoreError::NotFound);
            }
            check_new_ids(records.iter().map(|r| r.id), &s.deployment_logs)?;
            s.deployment_logs
                .extend(records.iter().map(|r| (r.id, r.clone())));
            Ok(())
        })
    }

    async fn insert_target_logs(&self, records: &[TargetLogRecord]) -> Result<(), StoreError> {
        self.write(|s| {
            if records
                .iter()
                .any(|r| !s.targets.contains_key(&r.deployment_target_id))
            {
                return Err(StoreError::NotFound);
            }
            check_new_ids(records.iter().map(|r| r.id), &s.target_logs)?;
            s.target_logs
                .extend(records.iter().map(|r| (r.id, r.clone())));
            Ok(())
        })
    }

    async fn list_deployment_logs(
        &self,
        deployment: DeploymentId,
        resource: &str,
        page: PageRequest,
    ) -> Result<Vec<DeploymentLogRecord>, StoreError> {
        self.read(|s| {
            let rows = s
                .deployment_logs
                .values()
                .filter(|r| r.deployment_id == deployment && r.resource == resource)
                .cloned();
            Ok(newest_first(rows, |r| (r.timestamp, r.id.as_uuid()), page))
        })
    }

    async fn list_log_resources(
        &self,
        deployment: DeploymentId,
    ) -> Result<Vec<String>, StoreError> {
        self.read(|s| {
            let names: BTreeSet<&str> = s
                .deployment_logs
                .values()
                .filter(|r| r.deployment_id == deployment)
                .map(|r| r.resource.as_str())
                .collect();
            Ok(names.into_iter().map(str::to_owned).collect())
        })
    }

    async fn list_target_logs(
        &self,
        target: TargetId,
        page: PageRequest,
    ) -> Result<Vec<TargetLogRecord>, StoreError> {
        self.read(|s| {
            let rows = s
                .target_logs
                .values()
                .filter(|r| r.deployment_target_id == target)
                .cloned();
            Ok(newest_first(rows, |r| (r.timestamp, r.id.as_uuid()), page))
        })
    }
}
