use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::ids::{DeploymentId, TargetId};
use distr_domain::telemetry::{DeploymentLogRecord, MetricsSample, TargetLogRecord};

use super::{PageRequest, StoreError};

/// Target metrics samples.
#[async_trait]
pub trait MetricsStore: Send + Sync {
    /// Inserts a sample. An unknown target MUST give `NotFound`.
    async fn insert_metrics(&self, sample: &MetricsSample) -> Result<(), StoreError>;

    /// The newest sample of each given target; targets without samples are left out.
    async fn latest_metrics(&self, targets: &[TargetId]) -> Result<Vec<MetricsSample>, StoreError>;

    /// The samples of `target` with `from <= created_at < to`, oldest first
    /// (ties by id). MUST leave out other targets' samples and samples
    /// outside the range; an unknown target MUST give an empty list.
    async fn list_metrics(
        &self,
        target: TargetId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MetricsSample>, StoreError>;
}

/// Workload and agent logs.
#[async_trait]
pub trait LogStore: Send + Sync {
    /// Inserts workload log records, all or none.
    async fn insert_deployment_logs(
        &self,
        records: &[DeploymentLogRecord],
    ) -> Result<(), StoreError>;

    /// Inserts agent log records, all or none.
    async fn insert_target_logs(&self, records: &[TargetLogRecord]) -> Result<(), StoreError>;

    /// Workload logs of one resource, newest `timestamp` first (ties by id).
    async fn list_deployment_logs(
        &self,
        deployment: DeploymentId,
        resource: &str,
        page: PageRequest,
    ) -> Result<Vec<DeploymentLogRecord>, StoreError>;

    /// The distinct `resource` names of a deployment's workload logs, sorted
    /// ascending. MUST list each name once and leave out other deployments'.
    async fn list_log_resources(&self, deployment: DeploymentId)
    -> Result<Vec<String>, StoreError>;

    /// Agent logs of a target, newest `timestamp` first (ties by id).
    async fn list_target_logs(
        &self,
        target: TargetId,
        page: PageRequest,
    ) -> Result<Vec<TargetLogRecord>, StoreError>;
}
