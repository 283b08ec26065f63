//! Server-side health: target connection state and deployment health
//! (HS §2.4, AP §9.1, §9.2). The API and the portal share these functions.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::deployment::{StatusRecord, StatusType};
use crate::ids::RevisionId;

/// Whether a target's agent is in contact (AP §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// The agent never made contact.
    NotConnected,
    /// Last contact within the stale threshold.
    Connected,
    /// Seen before, but not within the stale threshold.
    Stale,
}

impl ConnectionState {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotConnected => "not_connected",
            Self::Connected => "connected",
            Self::Stale => "stale",
        }
    }
}

impl fmt::Display for ConnectionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Connection state of a target: `connected` while `now - last_seen_at <= stale_after`.
///
/// A `last_seen_at` in the future (clock skew between replicas) counts as connected.
#[must_use]
pub fn connection_state(
    last_seen_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    stale_after: Duration,
) -> ConnectionState {
    match last_seen_at {
        None => ConnectionState::NotConnected,
        Some(last) if is_within(last, now, stale_after) => ConnectionState::Connected,
        Some(_) => ConnectionState::Stale,
    }
}

/// Displayed health of a deployment (HS §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeploymentHealth {
    /// No status record exists.
    NoStatus,
    /// The latest record is an error, however old.
    Error,
    /// The latest record is older than the stale threshold.
    Stale,
    /// Installing or upgrading.
    Progressing,
    /// Running without (complete) health checks.
    Running,
    /// Running and healthy.
    Healthy,
}

impl DeploymentHealth {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoStatus => "no_status",
            Self::Error => "error",
            Self::Stale => "stale",
            Self::Progressing => "progressing",
            Self::Running => "running",
            Self::Healthy => "healthy",
        }
    }
}

impl fmt::Display for DeploymentHealth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Health of a deployment from its latest status record; the first matching
/// rule wins: no record, error (however old), stale, then the record's type.
#[must_use]
pub fn deployment_health(
    latest: Option<&StatusRecord>,
    now: DateTime<Utc>,
    stale_after: Duration,
) -> DeploymentHealth {
    let Some(record) = latest else {
        return DeploymentHealth::NoStatus;
    };
    if record.status_type == StatusType::Error {
        return DeploymentHealth::Error;
    }
    if !is_within(record.last_reported_at, now, stale_after) {
        return DeploymentHealth::Stale;
    }
    match record.status_type {
        StatusType::Progressing => DeploymentHealth::Progressing,
        StatusType::Running => DeploymentHealth::Running,
        StatusType::Healthy => DeploymentHealth::Healthy,
        StatusType::Error => DeploymentHealth::Error,
    }
}

/// True while the current revision has no status record yet, i.e. the
/// latest record belongs to an older revision or there is none.
#[must_use]
pub fn revision_pending(current: RevisionId, latest: Option<&StatusRecord>) -> bool {
    latest.is_none_or(|record| record.deployment_revision_id != current)
}

/// `now - then <= window`, without overflow for absurd durations.
fn is_within(then: DateTime<Utc>, now: DateTime<Utc>, window: Duration) -> bool {
    let elapsed = now.signed_duration_since(then);
    match chrono::Duration::from_std(window) {
        Ok(window) => elapsed <= window,
        // A window too large for chrono covers every representable elapsed time.
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests;
