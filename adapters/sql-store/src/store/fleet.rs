//! Fleet-wide counts for the Prometheus gauges (HS §6.5): one grouped
//! statement over targets and deployments.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use distr_domain::health::{ConnectionState, DeploymentHealth};
use distr_ports::StoreError;
use distr_ports::store::{FleetCounts, FleetStore};

use crate::convert::micros;
use crate::error::{Fail, corrupt};
use crate::open::SqlStore;

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The statement, valid on SQLite and Postgres. `cutoff` (microseconds) is
/// the only interpolated value, an integer. A target is connected when seen
/// at or after it; a deployment's latest status (the newest record of the
/// newest revision that has any, as `latest_statuses`) is stale before it,
/// unless it is an error.
fn statement(cutoff: i64) -> String {
    format!(
        "SELECT 'target' AS kind, state, COUNT(*) AS n FROM (\
           SELECT CASE WHEN t.last_seen_at IS NULL THEN 'not_connected' \
                       WHEN t.last_seen_at >= {cutoff} THEN 'connected' \
                       ELSE 'stale' END AS state \
           FROM deployment_targets t\
         ) targets GROUP BY state \
         UNION ALL \
         SELECT 'deployment' AS kind, state, COUNT(*) AS n FROM (\
           SELECT CASE WHEN ls.id IS NULL THEN 'no_status' \
                       WHEN ls.status_type = 'error' THEN 'error' \
                       WHEN ls.last_reported_at < {cutoff} THEN 'stale' \
                       ELSE ls.status_type END AS state \
           FROM (\
             SELECT (\
               SELECT s.id FROM deployment_revision_statuses s \
               WHERE s.deployment_revision_id = (\
                 SELECT r.id FROM deployment_revisions r \
                 WHERE r.deployment_id = d.id AND EXISTS (\
                   SELECT 1 FROM deployment_revision_statuses x \
                   WHERE x.deployment_revision_id = r.id) \
                 ORDER BY r.created_at DESC, r.id DESC LIMIT 1) \
               ORDER BY s.last_reported_at DESC, s.id DESC LIMIT 1\
             ) AS latest_id FROM deployments d\
           ) dl LEFT JOIN deployment_revision_statuses ls ON ls.id = dl.latest_id\
         ) deployments GROUP BY state"
    )
}

fn connection_state(name: &str) -> Option<ConnectionState> {
    Some(match name {
        "not_connected" => ConnectionState::NotConnected,
        "connected" => ConnectionState::Connected,
        "stale" => ConnectionState::Stale,
        _ => return None,
    })
}

fn health(name: &str) -> Option<DeploymentHealth> {
    Some(match name {
        "no_status" => DeploymentHealth::NoStatus,
        "error" => DeploymentHealth::Error,
        "stale" => DeploymentHealth::Stale,
        "progressing" => DeploymentHealth::Progressing,
        "running" => DeploymentHealth::Running,
        "healthy" => DeploymentHealth::Healthy,
        _ => return None,
    })
}

fn tally(rows: Vec<CountRow>) -> Result<FleetCounts, Fail> {
    let mut counts = FleetCounts::default();
    for row in rows {
        let n = u64::try_from(row.n).unwrap_or(0);
        match row.kind.as_str() {
            "target" => {
                let state = connection_state(&row.state)
                    .ok_or_else(|| corrupt(format!("connection state {}", row.state)))?;
                counts.add_targets(state, n);
            }
            _ => {
                let health = health(&row.state)
                    .ok_or_else(|| corrupt(format!("status type {}", row.state)))?;
                counts.add_deployments(health, n);
            }
        }
    }
    Ok(counts)
}

#[async_trait]
impl FleetStore for SqlStore {
    async fn fleet_counts(
        &self,
        now: DateTime<Utc>,
        stale_after: Duration,
    ) -> Result<FleetCounts, StoreError> {
        // A window too large to subtract covers every representable time.
        let cutoff = chrono::Duration::from_std(stale_after)
            .ok()
            .and_then(|window| now.checked_sub_signed(window))
            .map_or(i64::MIN, micros);
        let statement = statement(cutoff);
        with_conn!(self, |conn| {
            let rows: Vec<CountRow> = diesel::sql_query(&statement).load(conn).await?;
            tally(rows)
        })
    }
}
