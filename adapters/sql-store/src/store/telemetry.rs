use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use distr_domain::ids::{DeploymentId, TargetId};
use distr_domain::telemetry::{DeploymentLogRecord, MetricsSample, TargetLogRecord};
use distr_ports::StoreError;
use distr_ports::store::{LogStore, MetricsStore, PageRequest};

use super::paging::newest_first_page;
use crate::convert::{id, micros, time};
use crate::error::Fail;
use crate::open::SqlStore;
use crate::schema::{
    deployment_log_records as dl, deployment_targets as t, target_log_records as tl,
    target_metrics_samples as m,
};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = m)]
struct MetricsRow {
    id: String,
    deployment_target_id: String,
    created_at: i64,
    cpu_cores_millis: i64,
    cpu_usage: f64,
    memory_bytes: i64,
    memory_usage: f64,
}

impl TryFrom<MetricsRow> for MetricsSample {
    type Error = Fail;
    fn try_from(row: MetricsRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            deployment_target_id: id(&row.deployment_target_id)?,
            created_at: time(row.created_at)?,
            cpu_cores_millis: row.cpu_cores_millis,
            cpu_usage: row.cpu_usage,
            memory_bytes: row.memory_bytes,
            memory_usage: row.memory_usage,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = dl)]
struct DeploymentLogRow {
    id: String,
    deployment_id: String,
    deployment_revision_id: String,
    resource: String,
    timestamp: i64,
    severity: String,
    body: String,
}

impl TryFrom<DeploymentLogRow> for DeploymentLogRecord {
    type Error = Fail;
    fn try_from(row: DeploymentLogRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            deployment_id: id(&row.deployment_id)?,
            deployment_revision_id: id(&row.deployment_revision_id)?,
            resource: row.resource,
            timestamp: time(row.timestamp)?,
            severity: row.severity,
            body: row.body,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = tl)]
struct TargetLogRow {
    id: String,
    deployment_target_id: String,
    created_at: i64,
    timestamp: i64,
    severity: String,
    body: String,
}

impl TryFrom<TargetLogRow> for TargetLogRecord {
    type Error = Fail;
    fn try_from(row: TargetLogRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            deployment_target_id: id(&row.deployment_target_id)?,
            created_at: time(row.created_at)?,
            timestamp: time(row.timestamp)?,
            severity: row.severity,
            body: row.body,
        })
    }
}

#[async_trait]
impl MetricsStore for SqlStore {
    async fn insert_metrics(&self, sample: &MetricsSample) -> Result<(), StoreError> {
        let row = MetricsRow {
            id: sample.id.to_string(),
            deployment_target_id: sample.deployment_target_id.to_string(),
            created_at: micros(sample.created_at),
            cpu_cores_millis: sample.cpu_cores_millis,
            cpu_usage: sample.cpu_usage,
            memory_bytes: sample.memory_bytes,
            memory_usage: sample.memory_usage,
        };
        with_write!(self, |conn| {
            // An unknown target violates the foreign key: NotFound.
            diesel::insert_into(m::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn latest_metrics(&self, targets: &[TargetId]) -> Result<Vec<MetricsSample>, StoreError> {
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = targets.iter().map(ToString::to_string).collect();
        with_conn!(self, |conn| {
            let newer = diesel::alias!(crate::schema::target_metrics_samples as newest);
            let newest_id = newer
                .select(newer.field(m::id))
                .filter(newer.field(m::deployment_target_id).eq(t::id))
                .order((newer.field(m::created_at).desc(), newer.field(m::id).desc()))
                .limit(1)
                .single_value();
            let sample_ids = t::table.filter(t::id.eq_any(&keys)).select(newest_id);
            let rows: Vec<MetricsRow> = m::table
                .filter(m::id.nullable().eq_any(sample_ids))
                .select(MetricsRow::as_select())
                .order((m::deployment_target_id.asc(), m::id.asc()))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn list_metrics(
        &self,
        target: TargetId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MetricsSample>, StoreError> {
        let key = target.to_string();
        with_conn!(self, |conn| {
            let rows: Vec<MetricsRow> = m::table
                .filter(m::deployment_target_id.eq(&key))
                .filter(m::created_at.ge(micros(from)))
                .filter(m::created_at.lt(micros(to)))
                .select(MetricsRow::as_select())
                .order((m::created_at.asc(), m::id.asc()))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }
}

#[async_trait]
impl LogStore for SqlStore {
    async fn insert_deployment_logs(
        &self,
        records: &[DeploymentLogRecord],
    ) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let rows: Vec<DeploymentLogRow> = records
            .iter()
            .map(|r| DeploymentLogRow {
                id: r.id.to_string(),
                deployment_id: r.deployment_id.to_string(),
                deployment_revision_id: r.deployment_revision_id.to_string(),
                resource: r.resource.clone(),
                timestamp: micros(r.timestamp),
                severity: r.severity.clone(),
                body: r.body.clone(),
            })
            .collect();
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                // Row by row: the async SQLite wrapper has no multi-row INSERT.
                for row in &rows {
                    diesel::insert_into(dl::table)
                        .values(row)
                        .execute(conn)
                        .await?;
                }
                Ok(())
            })
            .await
        })
    }

    async fn insert_target_logs(&self, records: &[TargetLogRecord]) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let rows: Vec<TargetLogRow> = records
            .iter()
            .map(|r| TargetLogRow {
                id: r.id.to_string(),
                deployment_target_id: r.deployment_target_id.to_string(),
                created_at: micros(r.created_at),
                timestamp: micros(r.timestamp),
                severity: r.severity.clone(),
                body: r.body.clone(),
            })
            .collect();
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                // Row by row: the async SQLite wrapper has no multi-row INSERT.
                for row in &rows {
                    diesel::insert_into(tl::table)
                        .values(row)
                        .execute(conn)
                        .await?;
                }
                Ok(())
            })
            .await
        })
    }

    async fn list_deployment_logs(
        &self,
        deployment: DeploymentId,
        resource: &str,
        page: PageRequest,
    ) -> Result<Vec<DeploymentLogRecord>, StoreError> {
        let key = deployment.to_string();
        with_conn!(self, |conn| {
            let query = dl::table
                .filter(dl::deployment_id.eq(&key))
                .filter(dl::resource.eq(resource))
                .select(DeploymentLogRow::as_select())
                .into_boxed();
            let rows: Vec<DeploymentLogRow> =
                newest_first_page!(query, dl::timestamp, dl::id, page)
                    .load(conn)
                    .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn list_log_resources(
        &self,
        deployment: DeploymentId,
    ) -> Result<Vec<String>, StoreError> {
        let key = deployment.to_string();
        with_conn!(self, |conn| {
            let mut names: Vec<String> = dl::table
                .filter(dl::deployment_id.eq(&key))
                .select(dl::resource)
                .distinct()
                .order(dl::resource.asc())
                .load(conn)
                .await?;
            // Byte order on every backend, whatever the database collation.
            names.sort();
            Ok(names)
        })
    }

    async fn list_target_logs(
        &self,
        target: TargetId,
        page: PageRequest,
    ) -> Result<Vec<TargetLogRecord>, StoreError> {
        let key = target.to_string();
        with_conn!(self, |conn| {
            let query = tl::table
                .filter(tl::deployment_target_id.eq(&key))
                .select(TargetLogRow::as_select())
                .into_boxed();
            let rows: Vec<TargetLogRow> = newest_first_page!(query, tl::timestamp, tl::id, page)
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }
}
