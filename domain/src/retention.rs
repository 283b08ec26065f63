//! Retention jobs (AP §9.5, HS §5.1): which data each job trims and by which rule.

use chrono::{DateTime, Utc};

/// One of the five retention jobs; the names are upstream's `cleanup` type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RetentionJob {
    /// Heartbeat history (`TargetHeartbeatChange` rows), by age.
    DeploymentTargetStatus,
    /// Deployment status records, by age of `lastReportedAt`.
    DeploymentRevisionStatus,
    /// Target metrics samples, by age.
    DeploymentTargetMetrics,
    /// Workload logs, newest N per (deployment, resource).
    DeploymentLogRecord,
    /// Agent self-logs, newest N per target.
    DeploymentTargetLogRecord,
}

/// How a job decides which rows expire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionRule {
    /// Rows strictly older than this instant expire, except the newest row of each series.
    OlderThan(DateTime<Utc>),
    /// Only the newest N rows of each series stay (N ≥ 1).
    KeepNewest(u64),
}

/// Which setting drives a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionSetting {
    /// `STATUS_ENTRIES_MAX_AGE`.
    StatusMaxAge,
    /// `METRICS_ENTRIES_MAX_AGE`.
    MetricsMaxAge,
    /// `LOG_RECORD_ENTRIES_MAX_COUNT`.
    LogRecordMaxCount,
}

impl RetentionSetting {
    /// The environment variable.
    #[must_use]
    pub const fn variable(self) -> &'static str {
        match self {
            Self::StatusMaxAge => "STATUS_ENTRIES_MAX_AGE",
            Self::MetricsMaxAge => "METRICS_ENTRIES_MAX_AGE",
            Self::LogRecordMaxCount => "LOG_RECORD_ENTRIES_MAX_COUNT",
        }
    }
}

impl RetentionJob {
    /// Every job, in the order `cleanup all` runs them.
    pub const ALL: [Self; 5] = [
        Self::DeploymentTargetStatus,
        Self::DeploymentRevisionStatus,
        Self::DeploymentTargetMetrics,
        Self::DeploymentLogRecord,
        Self::DeploymentTargetLogRecord,
    ];

    /// Upstream's type name, as `cleanup` takes it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::DeploymentTargetStatus => "DeploymentTargetStatus",
            Self::DeploymentRevisionStatus => "DeploymentRevisionStatus",
            Self::DeploymentTargetMetrics => "DeploymentTargetMetrics",
            Self::DeploymentLogRecord => "DeploymentLogRecord",
            Self::DeploymentTargetLogRecord => "DeploymentTargetLogRecord",
        }
    }

    /// The `<JOB>` part of `CLEANUP_<JOB>_CRON` and `CLEANUP_<JOB>_TIMEOUT`.
    #[must_use]
    pub const fn env_key(self) -> &'static str {
        match self {
            Self::DeploymentTargetStatus => "DEPLOYMENT_TARGET_STATUS",
            Self::DeploymentRevisionStatus => "DEPLOYMENT_REVISION_STATUS",
            Self::DeploymentTargetMetrics => "DEPLOYMENT_TARGET_METRICS",
            Self::DeploymentLogRecord => "DEPLOYMENT_LOG_RECORD",
            Self::DeploymentTargetLogRecord => "DEPLOYMENT_TARGET_LOG_RECORD",
        }
    }

    /// The setting whose value the job's rule comes from.
    #[must_use]
    pub const fn setting(self) -> RetentionSetting {
        match self {
            Self::DeploymentTargetStatus | Self::DeploymentRevisionStatus => {
                RetentionSetting::StatusMaxAge
            }
            Self::DeploymentTargetMetrics => RetentionSetting::MetricsMaxAge,
            Self::DeploymentLogRecord | Self::DeploymentTargetLogRecord => {
                RetentionSetting::LogRecordMaxCount
            }
        }
    }

    /// The job of an upstream type name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|job| job.name() == name)
    }

    /// The rule for a run at `now` with the given max age or max count; `None`
    /// when the job's setting is unset (the job is disabled).
    #[must_use]
    pub fn rule(
        self,
        now: DateTime<Utc>,
        max_age: Option<std::time::Duration>,
        max_count: Option<u64>,
    ) -> Option<RetentionRule> {
        match self.setting() {
            RetentionSetting::StatusMaxAge | RetentionSetting::MetricsMaxAge => {
                let age = chrono::Duration::from_std(max_age?).unwrap_or(chrono::Duration::MAX);
                Some(RetentionRule::OlderThan(
                    now.checked_sub_signed(age)
                        .unwrap_or(DateTime::<Utc>::MIN_UTC),
                ))
            }
            RetentionSetting::LogRecordMaxCount => {
                Some(RetentionRule::KeepNewest(max_count?.max(1)))
            }
        }
    }
}

impl std::fmt::Display for RetentionJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for job in RetentionJob::ALL {
            assert_eq!(RetentionJob::from_name(job.name()), Some(job));
        }
        assert_eq!(RetentionJob::from_name("all"), None);
    }

    #[test]
    fn age_rule_subtracts_the_max_age() {
        let now = DateTime::from_timestamp(10_000, 0).unwrap();
        let rule = RetentionJob::DeploymentTargetMetrics
            .rule(now, Some(std::time::Duration::from_secs(100)), None)
            .unwrap();
        assert_eq!(
            rule,
            RetentionRule::OlderThan(DateTime::from_timestamp(9_900, 0).unwrap())
        );
    }

    #[test]
    fn unset_setting_disables_the_job() {
        let now = DateTime::from_timestamp(10_000, 0).unwrap();
        assert_eq!(
            RetentionJob::DeploymentLogRecord.rule(
                now,
                Some(std::time::Duration::from_secs(1)),
                None
            ),
            None
        );
        assert_eq!(
            RetentionJob::DeploymentRevisionStatus.rule(now, None, Some(5)),
            None
        );
        assert_eq!(
            RetentionJob::DeploymentTargetLogRecord.rule(now, None, Some(5)),
            Some(RetentionRule::KeepNewest(5))
        );
    }
}
