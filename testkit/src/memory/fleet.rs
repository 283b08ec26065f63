use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::health::{connection_state, deployment_health};
use distr_ports::StoreError;
use distr_ports::store::{FleetCounts, FleetStore};

use super::MemoryStore;
use super::statuses::latest_of;

#[async_trait]
impl FleetStore for MemoryStore {
    async fn fleet_counts(
        &self,
        now: DateTime<Utc>,
        stale_after: Duration,
    ) -> Result<FleetCounts, StoreError> {
        self.read(|s| {
            let mut counts = FleetCounts::default();
            for target in s.targets.values() {
                counts.add_targets(
                    connection_state(
                        target.heartbeat.as_ref().map(|h| h.last_seen_at),
                        now,
                        stale_after,
                    ),
                    1,
                );
            }
            for deployment in s.deployments.keys() {
                let latest = latest_of(s, *deployment);
                counts.add_deployments(deployment_health(latest, now, stale_after), 1);
            }
            Ok(counts)
        })
    }
}
