//! `distr_targets` and `distr_deployments`: one aggregate store call,
//! cached so scrapes recompute at most every [`REFRESH`] (HS §6.5).

use std::time::Duration;

use distr_ports::store::FleetCounts;
use distr_ports::{Clock, Store};
use tokio::sync::Mutex;
use tokio::time::Instant;

/// The longest a cached count is served.
pub const REFRESH: Duration = Duration::from_secs(15);

/// The latest counts and when they were computed.
#[derive(Debug, Default)]
pub struct FleetCache {
    latest: Mutex<Option<(Instant, FleetCounts)>>,
}

impl FleetCache {
    /// The counts, recomputed when older than [`REFRESH`]. A failed
    /// recomputation keeps the previous counts (none before the first success).
    pub async fn get(
        &self,
        store: &dyn Store,
        clock: &dyn Clock,
        stale_after: Duration,
    ) -> Option<FleetCounts> {
        // Concurrent scrapes wait for one recomputation instead of each running it.
        let mut latest = self.latest.lock().await;
        if let Some((at, counts)) = *latest
            && at.elapsed() < REFRESH
        {
            return Some(counts);
        }
        match store.fleet_counts(clock.now(), stale_after).await {
            Ok(counts) => {
                *latest = Some((Instant::now(), counts));
                Some(counts)
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot count targets and deployments for /metrics");
                latest.map(|(_, counts)| counts)
            }
        }
    }
}
