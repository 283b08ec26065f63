//! Builders of valid domain entities with fresh UUIDv7 ids and
//! microsecond-precision timestamps (what every store keeps).
//!
//! Builders panic on invalid input (a bad name, say): they take test data only.

mod applications;
mod deployments;
mod organizations;
mod targets;
mod telemetry;

use chrono::{DateTime, SubsecRound, TimeZone, Utc};
use distr_domain::names::Name;
use uuid::Uuid;

pub use applications::{ApplicationBuilder, DEFAULT_COMPOSE, VersionBuilder};
pub use deployments::{DeploymentBuilder, RevisionBuilder};
pub use organizations::{
    AccessTokenBuilder, CustomerBuilder, MembershipBuilder, OrganizationBuilder, UserBuilder,
};
pub use targets::{AgentVersionBuilder, TargetBuilder};
pub use telemetry::{
    DeploymentLogBuilder, MetricsSampleBuilder, SecretBuilder, TargetLogBuilder, last_good_payload,
};

/// A fresh UUIDv7 (time-ordered, so later ids sort after earlier ones).
#[must_use]
pub fn fresh_uuid() -> Uuid {
    Uuid::now_v7()
}

/// The current time truncated to whole microseconds.
#[must_use]
pub fn now_micros() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A fixed instant (2025-01-01T00:00:00Z) plus `seconds`: stable test times.
///
/// # Panics
/// Never for realistic offsets.
#[must_use]
pub fn at_seconds(seconds: i64) -> DateTime<Utc> {
    let base = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("valid base time");
    base + chrono::Duration::seconds(seconds)
}

/// A short unique suffix for names that must not collide across tests.
#[must_use]
pub fn unique_suffix() -> String {
    let simple = fresh_uuid().simple().to_string();
    // The random tail: the leading characters are the (shared) timestamp.
    simple.chars().rev().take(12).collect()
}

/// Parses a test name.
///
/// # Panics
/// When `raw` is not a valid [`Name`].
#[must_use]
pub fn name(raw: &str) -> Name {
    Name::parse("name", raw).expect("valid test name")
}
