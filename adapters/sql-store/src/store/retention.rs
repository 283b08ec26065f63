//! Retention (AP §9.5) as one ranked `DELETE` per batch, and the leases that
//! let one replica at a time run a job (HS §6.2).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use distr_domain::retention::{RetentionJob, RetentionRule};
use distr_ports::StoreError;
use distr_ports::store::{LeaseRequest, RetentionStore};

use crate::convert::micros;
use crate::open::SqlStore;
use crate::schema::retention_leases as l;

/// Where a job's rows live: the table, the rows with what they join, the
/// series key and the time the rows are ranked by (newest first, ties by id).
struct Source {
    table: &'static str,
    from: &'static str,
    series: &'static str,
    at: &'static str,
}

const fn source(job: RetentionJob) -> Source {
    match job {
        RetentionJob::DeploymentTargetStatus => Source {
            table: "target_heartbeat_changes",
            from: "target_heartbeat_changes x",
            series: "x.deployment_target_id",
            at: "x.created_at",
        },
        RetentionJob::DeploymentRevisionStatus => Source {
            table: "deployment_revision_statuses",
            from: "deployment_revision_statuses x \
                   JOIN deployment_revisions r ON r.id = x.deployment_revision_id",
            series: "r.deployment_id",
            at: "x.last_reported_at",
        },
        RetentionJob::DeploymentTargetMetrics => Source {
            table: "target_metrics_samples",
            from: "target_metrics_samples x",
            series: "x.deployment_target_id",
            at: "x.created_at",
        },
        RetentionJob::DeploymentLogRecord => Source {
            table: "deployment_log_records",
            from: "deployment_log_records x",
            series: "x.deployment_id, x.resource",
            at: "x.\"timestamp\"",
        },
        RetentionJob::DeploymentTargetLogRecord => Source {
            table: "target_log_records",
            from: "target_log_records x",
            series: "x.deployment_target_id",
            at: "x.\"timestamp\"",
        },
    }
}

/// The batch's `DELETE`, valid on SQLite and Postgres. Every interpolated
/// value is a constant of this module or an integer, never user input.
fn delete_statement(job: RetentionJob, rule: RetentionRule, batch: u32) -> String {
    let Source {
        table,
        from,
        series,
        at,
    } = source(job);
    let expired = match rule {
        RetentionRule::OlderThan(cutoff) => format!("rn > 1 AND ranked_at < {}", micros(cutoff)),
        RetentionRule::KeepNewest(keep) => format!("rn > {}", keep.min(i64::MAX as u64)),
    };
    format!(
        "DELETE FROM {table} WHERE id IN (\
           SELECT id FROM (\
             SELECT x.id AS id, {at} AS ranked_at, \
               ROW_NUMBER() OVER (PARTITION BY {series} ORDER BY {at} DESC, x.id DESC) AS rn \
             FROM {from}\
           ) ranked WHERE {expired} ORDER BY ranked_at, id LIMIT {batch}\
         )"
    )
}

#[async_trait]
impl RetentionStore for SqlStore {
    async fn delete_expired(
        &self,
        job: RetentionJob,
        rule: RetentionRule,
        batch: u32,
    ) -> Result<u64, StoreError> {
        let statement = delete_statement(job, rule, batch);
        // One statement is one transaction: a batch is deleted whole or not at all.
        with_write!(self, |conn| {
            let deleted = diesel::sql_query(&statement).execute(conn).await?;
            Ok(u64::try_from(deleted).unwrap_or(u64::MAX))
        })
    }

    async fn acquire_lease(&self, request: LeaseRequest<'_>) -> Result<bool, StoreError> {
        let (slot, now, expires_at) = (
            micros(request.slot),
            micros(request.now),
            micros(request.expires_at),
        );
        with_write!(self, |conn| {
            let inserted = diesel::insert_into(l::table)
                .values((
                    l::name.eq(request.name),
                    l::holder.eq(request.holder),
                    l::slot.eq(slot),
                    l::expires_at.eq(expires_at),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            if inserted > 0 {
                return Ok(true);
            }
            // One conditional UPDATE: Postgres re-checks the condition on the
            // row a concurrent winner just wrote, so only one caller matches.
            let taken = diesel::update(
                l::table.find(request.name).filter(
                    (l::expires_at.le(now).and(l::slot.lt(slot)))
                        .or(l::holder.eq(request.holder).and(l::slot.eq(slot))),
                ),
            )
            .set((
                l::holder.eq(request.holder),
                l::slot.eq(slot),
                l::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await?;
            Ok(taken > 0)
        })
    }

    async fn release_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_write!(self, |conn| {
            diesel::update(l::table.find(name).filter(l::holder.eq(holder)))
                .set(l::expires_at.eq(micros(now)))
                .execute(conn)
                .await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_rule_ranks_per_series_and_limits_the_batch() {
        let sql = delete_statement(
            RetentionJob::DeploymentLogRecord,
            RetentionRule::KeepNewest(10),
            500,
        );
        assert!(sql.contains("PARTITION BY x.deployment_id, x.resource"));
        assert!(sql.contains("rn > 10"));
        assert!(sql.ends_with("LIMIT 500)"));
    }

    #[test]
    fn age_rule_keeps_the_newest_row_of_each_series() {
        let cutoff = DateTime::from_timestamp(100, 0).unwrap();
        let sql = delete_statement(
            RetentionJob::DeploymentRevisionStatus,
            RetentionRule::OlderThan(cutoff),
            1,
        );
        assert!(sql.contains("rn > 1 AND ranked_at < 100000000"));
        assert!(sql.contains("PARTITION BY r.deployment_id"));
    }
}
