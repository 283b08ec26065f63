//! Every period the agents use (AP §10), in one injectable value so tests can
//! run them in milliseconds.

use std::time::Duration;

/// The agents' periods. [`AgentTimings::new`] gives the protocol's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentTimings {
    /// `DISTR_INTERVAL`: tick period, progress period and the minimum gap
    /// between two resources requests.
    pub interval: Duration,
    /// `wait` of a long-poll request (AP §6.4: agents SHOULD use 30 s).
    pub long_poll_wait: Duration,
    /// Grace after `wait` during which an open long-poll still counts as healthy.
    pub long_poll_grace: Duration,
    /// Metrics period (30 s).
    pub metrics_period: Duration,
    /// Workload log collection period (30 s).
    pub log_period: Duration,
    /// Self-log flush period (30 s).
    pub self_log_period: Duration,
}

impl AgentTimings {
    /// The protocol's periods around the given `DISTR_INTERVAL`.
    #[must_use]
    pub const fn new(interval: Duration) -> Self {
        Self {
            interval,
            long_poll_wait: Duration::from_secs(30),
            long_poll_grace: Duration::from_secs(10),
            metrics_period: Duration::from_secs(30),
            log_period: Duration::from_secs(30),
            self_log_period: Duration::from_secs(30),
        }
    }
}
