//! Prometheus metrics (HS §6.5, §3.10): the series this process keeps, and
//! their text exposition at `GET /metrics`.
//!
//! No label ever holds an organization, target or user id: HTTP series are
//! labelled by route template (`MatchedPath`), never by the raw path.

pub mod endpoint;
pub mod fleet;
pub mod histogram;
pub mod http;
pub mod text;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use distr_domain::retention::RetentionJob;
use distr_ports::store::{CONNECTION_STATES, DEPLOYMENT_HEALTHS};
use distr_ports::{Clock, Store};
use distr_sql_store::SqlStore;

use self::fleet::FleetCache;
use self::histogram::{Histogram, count};
use self::text::{Kind, TextWriter};
use crate::retention::RetentionObserver;

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "unmatched";

/// Counters and the duration histogram of one route template.
#[derive(Debug, Default)]
struct RouteSeries {
    /// Requests per (method, status).
    requests: BTreeMap<(&'static str, u16), u64>,
    durations: Histogram,
}

impl RouteSeries {
    fn record(&mut self, method: &'static str, status: u16, took: Duration) {
        *self.requests.entry((method, status)).or_default() += 1;
        self.durations.observe(took.as_secs_f64());
    }
}

/// What the retention observer saw of one job.
#[derive(Debug, Default, Clone, Copy)]
struct RetentionSeries {
    deleted: u64,
    last_success: Option<DateTime<Utc>>,
}

/// Every series this process keeps. Cheap to share; all methods take `&self`.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<String, RouteSeries>>,
    longpolls_held: AtomicI64,
    retention: Mutex<BTreeMap<&'static str, RetentionSeries>>,
    fleet: FleetCache,
    pool: OnceLock<SqlStore>,
}

/// Held while an agent long-poll waits; dropping it releases the count.
#[derive(Debug)]
#[must_use = "the long-poll counts as held only while the guard lives"]
pub struct LongPollGuard<'a>(&'a Metrics);

impl Drop for LongPollGuard<'_> {
    fn drop(&mut self) {
        self.0.longpolls_held.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The agent endpoint of a route template, `None` for other routes.
fn agent_endpoint(route: &str) -> Option<&str> {
    let endpoint = route.strip_prefix("/api/v1")?;
    (endpoint.starts_with("/agent/") || endpoint == "/connect" || endpoint == "/pre-connect")
        .then_some(endpoint)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Metrics {
    /// Empty series.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Reports `store`'s connection pool as `distr_db_pool_connections`
    /// (the first call wins; without one the family has no samples).
    pub fn observe_pool(&self, store: SqlStore) {
        let _ = self.pool.set(store);
    }

    /// Records one finished HTTP request.
    pub fn record_request(&self, route: &str, method: &'static str, status: u16, took: Duration) {
        let mut routes = lock(&self.routes);
        // The route's key is allocated once, on its first request.
        if let Some(series) = routes.get_mut(route) {
            series.record(method, status, took);
        } else {
            let mut series = RouteSeries::default();
            series.record(method, status, took);
            routes.insert(route.to_owned(), series);
        }
    }

    /// Counts a held agent long-poll until the guard drops.
    pub fn hold_longpoll(&self) -> LongPollGuard<'_> {
        self.longpolls_held.fetch_add(1, Ordering::Relaxed);
        LongPollGuard(self)
    }

    /// Renders every series. `distr_targets` and `distr_deployments` come
    /// from `store`, recomputed at most every [`fleet::REFRESH`].
    pub async fn render(
        &self,
        store: &dyn Store,
        clock: &dyn Clock,
        stale_after: Duration,
    ) -> String {
        let fleet = self.fleet.get(store, clock, stale_after).await;
        let mut w = TextWriter::new();
        self.write_http(&mut w);

        w.family(
            "distr_agent_longpolls_held",
            Kind::Gauge,
            "Agent desired-state long-polls currently held.",
        );
        let held = self.longpolls_held.load(Ordering::Relaxed).max(0) as f64;
        w.sample("distr_agent_longpolls_held", &[], held);

        w.family(
            "distr_targets",
            Kind::Gauge,
            "Deployment targets by connection state (all organizations).",
        );
        w.family(
            "distr_deployments",
            Kind::Gauge,
            "Deployments by health (all organizations).",
        );
        if let Some(fleet) = fleet {
            for (state, n) in CONNECTION_STATES.iter().zip(fleet.targets) {
                w.sample(
                    "distr_targets",
                    &[("connection_state", state.as_str())],
                    count(n),
                );
            }
            for (health, n) in DEPLOYMENT_HEALTHS.iter().zip(fleet.deployments) {
                w.sample(
                    "distr_deployments",
                    &[("health", health.as_str())],
                    count(n),
                );
            }
        }

        self.write_retention(&mut w);

        w.family(
            "distr_db_pool_connections",
            Kind::Gauge,
            "Database pool connections by state.",
        );
        if let Some(store) = self.pool.get() {
            let status = store.pool_status();
            for (state, n) in [
                ("idle", status.idle),
                ("in_use", status.in_use),
                ("waiting", status.waiting),
            ] {
                w.sample(
                    "distr_db_pool_connections",
                    &[("state", state)],
                    count(u64::try_from(n).unwrap_or(u64::MAX)),
                );
            }
        }

        w.family("distr_build_info", Kind::Gauge, "The running Hub version.");
        w.sample(
            "distr_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))],
            1.0,
        );
        w.finish()
    }

    fn write_http(&self, w: &mut TextWriter) {
        let routes = lock(&self.routes);
        w.family(
            "distr_http_requests_total",
            Kind::Counter,
            "HTTP requests by route template, method and status.",
        );
        for (route, series) in routes.iter() {
            for ((method, status), n) in &series.requests {
                let status = status.to_string();
                let labels = [
                    ("route", route.as_str()),
                    ("method", *method),
                    ("status", &status),
                ];
                w.sample("distr_http_requests_total", &labels, count(*n));
            }
        }
        w.family(
            "distr_http_request_duration_seconds",
            Kind::Histogram,
            "HTTP request durations by route template.",
        );
        for (route, series) in routes.iter() {
            series.durations.write(
                w,
                "distr_http_request_duration_seconds",
                &[("route", route)],
            );
        }
        w.family(
            "distr_agent_requests_total",
            Kind::Counter,
            "Agent API requests by endpoint and status.",
        );
        let mut agent: BTreeMap<(&str, u16), u64> = BTreeMap::new();
        for (route, series) in routes.iter() {
            if let Some(endpoint) = agent_endpoint(route) {
                for ((_, status), n) in &series.requests {
                    *agent.entry((endpoint, *status)).or_default() += n;
                }
            }
        }
        for ((endpoint, status), n) in agent {
            let status = status.to_string();
            let labels = [("endpoint", endpoint), ("status", status.as_str())];
            w.sample("distr_agent_requests_total", &labels, count(n));
        }
    }

    fn write_retention(&self, w: &mut TextWriter) {
        let retention = lock(&self.retention);
        let series = |job: RetentionJob| retention.get(job.name()).copied().unwrap_or_default();
        w.family(
            "distr_retention_rows_deleted_total",
            Kind::Counter,
            "Rows deleted by retention jobs in this process.",
        );
        for job in RetentionJob::ALL {
            let labels = [("job", job.name())];
            w.sample(
                "distr_retention_rows_deleted_total",
                &labels,
                count(series(job).deleted),
            );
        }
        w.family(
            "distr_retention_last_success_timestamp_seconds",
            Kind::Gauge,
            "When a retention job last completed in this process (Unix seconds).",
        );
        for job in RetentionJob::ALL {
            if let Some(at) = series(job).last_success {
                let seconds = at.timestamp_millis() as f64 / 1000.0;
                w.sample(
                    "distr_retention_last_success_timestamp_seconds",
                    &[("job", job.name())],
                    seconds,
                );
            }
        }
    }
}

impl RetentionObserver for Metrics {
    fn deleted(&self, job: RetentionJob, rows: u64) {
        let mut retention = lock(&self.retention);
        let series = retention.entry(job.name()).or_default();
        series.deleted = series.deleted.saturating_add(rows);
    }

    fn succeeded(&self, job: RetentionJob, at: DateTime<Utc>) {
        lock(&self.retention)
            .entry(job.name())
            .or_default()
            .last_success = Some(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_endpoints_are_the_agent_routes_only() {
        assert_eq!(
            agent_endpoint("/api/v1/agent/resources"),
            Some("/agent/resources")
        );
        assert_eq!(agent_endpoint("/api/v1/connect"), Some("/connect"));
        assert_eq!(agent_endpoint("/api/v1/pre-connect"), Some("/pre-connect"));
        assert_eq!(agent_endpoint("/api/v1/deployment-targets"), None);
        assert_eq!(agent_endpoint(UNMATCHED), None);
    }

    #[test]
    fn a_dropped_guard_releases_the_long_poll() {
        let metrics = Metrics::new();
        let first = metrics.hold_longpoll();
        let second = metrics.hold_longpoll();
        assert_eq!(metrics.longpolls_held.load(Ordering::Relaxed), 2);
        drop(first);
        drop(second);
        assert_eq!(metrics.longpolls_held.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn retention_counts_add_up_and_keep_the_last_success() {
        let metrics = Metrics::new();
        let job = RetentionJob::DeploymentTargetMetrics;
        metrics.deleted(job, 1000);
        metrics.deleted(job, 3);
        let at = DateTime::from_timestamp(1_764_000_000, 0).unwrap();
        metrics.succeeded(job, at);
        let mut w = TextWriter::new();
        metrics.write_retention(&mut w);
        let text = w.finish();
        assert!(text.contains(
            "distr_retention_rows_deleted_total{job=\"DeploymentTargetMetrics\"} 1003\n"
        ));
        assert!(text.contains(
            "distr_retention_last_success_timestamp_seconds{job=\"DeploymentTargetMetrics\"} 1764000000\n"
        ));
        assert!(
            text.contains("distr_retention_rows_deleted_total{job=\"DeploymentTargetStatus\"} 0\n")
        );
    }
}
