//! Metrics time series (HS §3.6): samples of one target averaged into
//! equal buckets between `from` and `to`; empty buckets are left out.

use chrono::{DateTime, TimeDelta, Utc};

use crate::telemetry::MetricsSample;

/// One bucket's averages; `time` is the start of the bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsPoint {
    /// Start of the bucket.
    pub time: DateTime<Utc>,
    /// Mean CPU usage fraction.
    pub cpu_usage: f64,
    /// Mean memory usage fraction.
    pub memory_usage: f64,
    /// Mean logical cores × 1000, rounded.
    pub cpu_cores_millis: i64,
    /// Mean total memory in bytes, rounded.
    pub memory_bytes: i64,
}

/// The bucket width in whole seconds so that `points` buckets cover
/// `from..to`: at least one second.
#[must_use]
pub fn step_seconds(from: DateTime<Utc>, to: DateTime<Utc>, points: u32) -> i64 {
    let span = (to - from).num_seconds().max(1);
    let points = i64::from(points.max(1));
    // Ceiling division, so the last bucket reaches `to`.
    ((span + points - 1) / points).max(1)
}

#[derive(Default)]
struct Sums {
    count: u32,
    cpu_usage: f64,
    memory_usage: f64,
    cpu_cores_millis: i128,
    memory_bytes: i128,
}

fn mean_int(sum: i128, count: u32) -> i64 {
    let count = i128::from(count.max(1));
    // Round half away from zero.
    let rounded = if sum >= 0 {
        (sum + count / 2) / count
    } else {
        (sum - count / 2) / count
    };
    i64::try_from(rounded).unwrap_or(if rounded > 0 { i64::MAX } else { i64::MIN })
}

/// Averages the samples with `from <= created_at < to` into buckets of
/// `step_seconds` (see [`step_seconds`]), oldest first, leaving out empty
/// buckets. Samples need not be sorted.
#[must_use]
pub fn bucket_metrics(
    samples: &[MetricsSample],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    step_seconds: i64,
) -> Vec<MetricsPoint> {
    let step = step_seconds.max(1);
    let mut buckets: std::collections::BTreeMap<i64, Sums> = std::collections::BTreeMap::new();
    for s in samples
        .iter()
        .filter(|s| s.created_at >= from && s.created_at < to)
    {
        let index = (s.created_at - from).num_seconds() / step;
        let b = buckets.entry(index).or_default();
        b.count += 1;
        b.cpu_usage += s.cpu_usage;
        b.memory_usage += s.memory_usage;
        b.cpu_cores_millis += i128::from(s.cpu_cores_millis);
        b.memory_bytes += i128::from(s.memory_bytes);
    }
    buckets
        .into_iter()
        .map(|(index, b)| MetricsPoint {
            time: from + TimeDelta::seconds(index.saturating_mul(step)),
            cpu_usage: b.cpu_usage / f64::from(b.count),
            memory_usage: b.memory_usage / f64::from(b.count),
            cpu_cores_millis: mean_int(b.cpu_cores_millis, b.count),
            memory_bytes: mean_int(b.memory_bytes, b.count),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{MetricsSampleId, TargetId};

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap()
    }

    fn sample(s: i64, cpu: f64, bytes: i64) -> MetricsSample {
        MetricsSample {
            id: MetricsSampleId::from_uuid(uuid::Uuid::now_v7()),
            deployment_target_id: TargetId::from_uuid(uuid::Uuid::nil()),
            created_at: at(s),
            cpu_cores_millis: 1000,
            cpu_usage: cpu,
            memory_bytes: bytes,
            memory_usage: cpu / 2.0,
        }
    }

    #[test]
    fn step_covers_the_range_with_at_most_the_requested_points() {
        assert_eq!(step_seconds(at(0), at(3600), 120), 30);
        assert_eq!(step_seconds(at(0), at(3601), 120), 31);
        assert_eq!(step_seconds(at(0), at(10), 1000), 1);
        assert_eq!(step_seconds(at(0), at(0), 0), 1);
    }

    #[test]
    fn samples_are_averaged_per_bucket_and_empty_buckets_are_left_out() {
        let samples = [
            sample(65, 0.5, 101),
            sample(5, 0.2, 100),
            sample(25, 0.4, 201),
            sample(-1, 0.9, 1),
            sample(90, 0.9, 1),
        ];
        let points = bucket_metrics(&samples, at(0), at(90), 30);
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].time, at(0));
        assert!((points[0].cpu_usage - 0.3).abs() < 1e-9);
        assert!((points[0].memory_usage - 0.15).abs() < 1e-9);
        assert_eq!(points[0].memory_bytes, 151, "150.5 rounds up");
        assert_eq!(points[0].cpu_cores_millis, 1000);
        assert_eq!(points[1].time, at(60));
        assert_eq!(points[1].memory_bytes, 101);
    }

    #[test]
    fn no_samples_give_no_points() {
        assert!(bucket_metrics(&[], at(0), at(60), 1).is_empty());
    }
}
