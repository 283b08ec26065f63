//! Target metrics (HS §3.6): `GET /deployment-target-metrics`, the latest
//! sample of each visible target with metrics enabled, and
//! `GET /deployment-targets/{id}/metrics?from&to&points`, bucket averages.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, TimeDelta, Utc};
use distr_domain::ids::TargetId;
use distr_domain::metrics_series::{MetricsPoint, bucket_metrics, step_seconds};
use distr_domain::telemetry::MetricsSample;
use serde::Serialize;

use super::parse_id;
use super::targets::visible_target;
use super::views::ts;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Default and largest number of points (HS §3.6).
const DEFAULT_POINTS: u32 = 120;
const MAX_POINTS: u32 = 1000;

/// The newest sample of one target.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct LatestView {
    deployment_target_id: TargetId,
    #[serde(serialize_with = "ts")]
    created_at: DateTime<Utc>,
    cpu_cores_millis: i64,
    cpu_usage: f64,
    memory_bytes: i64,
    memory_usage: f64,
}

impl From<MetricsSample> for LatestView {
    fn from(m: MetricsSample) -> Self {
        Self {
            deployment_target_id: m.deployment_target_id,
            created_at: m.created_at,
            cpu_cores_millis: m.cpu_cores_millis,
            cpu_usage: m.cpu_usage,
            memory_bytes: m.memory_bytes,
            memory_usage: m.memory_usage,
        }
    }
}

#[utoipa::path(
    get,
    operation_id = "listLatestDeploymentTargetMetrics",
    path = "/api/v1/deployment-target-metrics",
    tag = "deployment-targets",
    summary = "Latest metrics sample per target",
    responses((status = 200, description = "Targets with metrics enabled", body = Vec<LatestView>))
)]
pub(super) async fn latest(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<Vec<LatestView>>, ApiError> {
    let targets = state
        .store
        .list_targets(
            principal.organization_id,
            principal.customer_organization_id,
        )
        .await?;
    let visible: Vec<(TargetId, bool)> = targets
        .iter()
        .filter(|t| principal.can_see(t.customer_organization_id))
        .map(|t| (t.id, t.metrics_enabled))
        .collect();
    let mut by_target = latest_samples(&state, &visible).await?;
    // Keep the target listing's order.
    Ok(Json(
        visible
            .iter()
            .filter_map(|(id, _)| by_target.remove(id))
            .map(LatestView::from)
            .collect(),
    ))
}

/// The newest sample of each of `targets` (id, `metricsEnabled`) that has
/// metrics enabled, in one store call; the API's list and the overview's
/// gauges share it. The caller has checked visibility.
///
/// # Errors
/// Store failures.
pub(crate) async fn latest_samples(
    state: &AppState,
    targets: &[(TargetId, bool)],
) -> Result<HashMap<TargetId, MetricsSample>, ApiError> {
    let ids: Vec<TargetId> = targets
        .iter()
        .filter(|(_, enabled)| *enabled)
        .map(|(id, _)| *id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(state
        .store
        .latest_metrics(&ids)
        .await?
        .into_iter()
        .map(|m| (m.deployment_target_id, m))
        .collect())
}

/// One bucket of the series.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct PointView {
    #[serde(serialize_with = "ts")]
    time: DateTime<Utc>,
    cpu_usage: f64,
    memory_usage: f64,
    cpu_cores_millis: i64,
    memory_bytes: i64,
}

impl From<MetricsPoint> for PointView {
    fn from(p: MetricsPoint) -> Self {
        Self {
            time: p.time,
            cpu_usage: p.cpu_usage,
            memory_usage: p.memory_usage,
            cpu_cores_millis: p.cpu_cores_millis,
            memory_bytes: p.memory_bytes,
        }
    }
}

/// The series answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct SeriesView {
    #[serde(serialize_with = "ts")]
    from: DateTime<Utc>,
    #[serde(serialize_with = "ts")]
    to: DateTime<Utc>,
    step_seconds: i64,
    samples: Vec<PointView>,
}

fn time(query: &HashMap<String, String>, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    query
        .get(name)
        .map(|raw| {
            DateTime::parse_from_rfc3339(raw)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ApiError::bad_request(format!("{name} must be an RFC 3339 time")))
        })
        .transpose()
}

/// `from`, `to` and `points`, with the defaults: the last hour, 120 points.
fn range(
    query: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>, u32), ApiError> {
    let to = time(query, "to")?.unwrap_or(now);
    let from = time(query, "from")?.unwrap_or(to - TimeDelta::hours(1));
    if from >= to {
        return Err(ApiError::bad_request("from must be before to"));
    }
    let points = match query.get("points") {
        None => DEFAULT_POINTS,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=MAX_POINTS).contains(p))
            .ok_or_else(|| ApiError::bad_request("points must be an integer from 1 to 1000"))?,
    };
    Ok((from, to, points))
}

#[utoipa::path(
    get,
    operation_id = "getDeploymentTargetMetrics",
    path = "/api/v1/deployment-targets/{id}/metrics",
    tag = "deployment-targets",
    summary = "Bucketed metrics series of a target",
    params(("id" = uuid::Uuid, Path, description = "The object id"), ("from" = Option<String>, Query, format = DateTime, description = "Start (RFC 3339); default one hour ago"), ("to" = Option<String>, Query, format = DateTime, description = "End (RFC 3339); default now"), ("points" = Option<u32>, Query, description = "Buckets, 1 to 1000; default 120")),
    responses((status = 200, description = "Bucket averages", body = SeriesView))
)]
pub(super) async fn series(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<SeriesView>, ApiError> {
    let (from, to, points) = range(&query, state.clock.now())?;
    let (step, buckets) =
        metrics_series(&state, &principal, parse_id(&id)?, from, to, points).await?;
    Ok(Json(SeriesView {
        from,
        to,
        step_seconds: step,
        samples: buckets.into_iter().map(PointView::from).collect(),
    }))
}

/// A target's metrics between `from` and `to` in at most `points` bucket
/// averages, with the bucket width in seconds; the API and the portal's
/// charts share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn metrics_series(
    state: &AppState,
    principal: &UserPrincipal,
    id: TargetId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    points: u32,
) -> Result<(i64, Vec<MetricsPoint>), ApiError> {
    let target = visible_target(state, principal, id).await?;
    let samples = state.store.list_metrics(target.id, from, to).await?;
    let step = step_seconds(from, to, points);
    Ok((step, bucket_metrics(&samples, from, to, step)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn range_defaults_to_the_last_hour_in_120_points() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let (from, to, points) = range(&HashMap::new(), now).unwrap();
        assert_eq!((to - from, to, points), (TimeDelta::hours(1), now, 120));
    }

    #[test]
    fn malformed_or_inverted_ranges_are_refused() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        for bad in [
            query(&[("points", "0")]),
            query(&[("points", "1001")]),
            query(&[("from", "yesterday")]),
            query(&[
                ("from", "2030-01-01T00:00:00Z"),
                ("to", "2029-01-01T00:00:00Z"),
            ]),
        ] {
            assert!(range(&bad, now).is_err(), "{bad:?}");
        }
    }
}
