use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::health::{ConnectionState, DeploymentHealth};

use super::StoreError;

/// Every connection state, in the order [`FleetCounts::targets`] lists them.
pub const CONNECTION_STATES: [ConnectionState; 3] = [
    ConnectionState::NotConnected,
    ConnectionState::Connected,
    ConnectionState::Stale,
];

/// Every deployment health, in the order [`FleetCounts::deployments`] lists them.
pub const DEPLOYMENT_HEALTHS: [DeploymentHealth; 6] = [
    DeploymentHealth::NoStatus,
    DeploymentHealth::Error,
    DeploymentHealth::Stale,
    DeploymentHealth::Progressing,
    DeploymentHealth::Running,
    DeploymentHealth::Healthy,
];

/// How many targets are in each connection state and how many deployments
/// have each health, over every organization (HS §6.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FleetCounts {
    /// Targets per state, in [`CONNECTION_STATES`] order.
    pub targets: [u64; 3],
    /// Deployments per health, in [`DEPLOYMENT_HEALTHS`] order.
    pub deployments: [u64; 6],
}

impl FleetCounts {
    /// The number of targets in `state`.
    #[must_use]
    pub fn targets_in(&self, state: ConnectionState) -> u64 {
        let i = CONNECTION_STATES.iter().position(|s| *s == state);
        i.map_or(0, |i| self.targets[i])
    }

    /// The number of deployments with `health`.
    #[must_use]
    pub fn deployments_with(&self, health: DeploymentHealth) -> u64 {
        let i = DEPLOYMENT_HEALTHS.iter().position(|h| *h == health);
        i.map_or(0, |i| self.deployments[i])
    }

    /// Adds `n` targets in `state`.
    pub fn add_targets(&mut self, state: ConnectionState, n: u64) {
        if let Some(i) = CONNECTION_STATES.iter().position(|s| *s == state) {
            self.targets[i] = self.targets[i].saturating_add(n);
        }
    }

    /// Adds `n` deployments with `health`.
    pub fn add_deployments(&mut self, health: DeploymentHealth, n: u64) {
        if let Some(i) = DEPLOYMENT_HEALTHS.iter().position(|h| *h == health) {
            self.deployments[i] = self.deployments[i].saturating_add(n);
        }
    }
}

/// Fleet-wide aggregates for the Prometheus gauges (HS §6.5).
#[async_trait]
pub trait FleetStore: Send + Sync {
    /// Counts every target by `distr_domain::health::connection_state` of
    /// its `last_seen_at`, and every deployment by
    /// `distr_domain::health::deployment_health` of its latest status (as
    /// `StatusStore::latest_statuses` defines it), both at `now` with
    /// `stale_after`. Across all organizations; MUST use a constant number
    /// of statements, independent of the number of rows.
    async fn fleet_counts(
        &self,
        now: DateTime<Utc>,
        stale_after: Duration,
    ) -> Result<FleetCounts, StoreError>;
}
