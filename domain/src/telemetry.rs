//! Data agents report besides statuses: metrics samples and log records.

use chrono::{DateTime, Utc};

use crate::ids::{
    DeploymentId, HeartbeatChangeId, LogRecordId, MetricsSampleId, RevisionId, TargetId,
};

/// One host or cluster metrics sample (AP §3.10).
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsSample {
    /// Identifier.
    pub id: MetricsSampleId,
    /// The target.
    pub deployment_target_id: TargetId,
    /// Reception time.
    pub created_at: DateTime<Utc>,
    /// Logical cores × 1000.
    pub cpu_cores_millis: i64,
    /// Fraction in [0, 1].
    pub cpu_usage: f64,
    /// Total memory in bytes.
    pub memory_bytes: i64,
    /// Fraction in [0, 1].
    pub memory_usage: f64,
}

/// A workload log line (AP §3.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentLogRecord {
    /// Identifier.
    pub id: LogRecordId,
    /// The deployment.
    pub deployment_id: DeploymentId,
    /// The revision the agent ran.
    pub deployment_revision_id: RevisionId,
    /// Container, service or `<kind>/<name>`.
    pub resource: String,
    /// Line time.
    pub timestamp: DateTime<Utc>,
    /// Severity as sent.
    pub severity: String,
    /// Redacted body.
    pub body: String,
}

/// An agent self-log line (AP §3.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetLogRecord {
    /// Identifier.
    pub id: LogRecordId,
    /// The target.
    pub deployment_target_id: TargetId,
    /// Reception time.
    pub created_at: DateTime<Utc>,
    /// Line time.
    pub timestamp: DateTime<Utc>,
    /// Level name.
    pub severity: String,
    /// Redacted body.
    pub body: String,
}

/// A heartbeat-message change (HS §2.2 `TargetHeartbeatChange`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartbeatChange {
    /// Identifier.
    pub id: HeartbeatChangeId,
    /// The target.
    pub deployment_target_id: TargetId,
    /// When the message appeared.
    pub created_at: DateTime<Utc>,
    /// The new message.
    pub message: String,
}
