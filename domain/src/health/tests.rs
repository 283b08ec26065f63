use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::deployment::{StatusRecord, StatusType};
use crate::ids::{RevisionId, StatusId};

const STALE: Duration = Duration::from_secs(60);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
}

fn revision(n: u128) -> RevisionId {
    RevisionId::from_uuid(Uuid::from_u128(n))
}

fn record(revision_id: RevisionId, status_type: StatusType, age_secs: i64) -> StatusRecord {
    let at = now() - chrono::Duration::seconds(age_secs);
    StatusRecord {
        id: StatusId::from_uuid(Uuid::from_u128(99)),
        deployment_revision_id: revision_id,
        status_type,
        message: "m".to_owned(),
        first_reported_at: at - chrono::Duration::seconds(3600),
        last_reported_at: at,
    }
}

#[test]
fn never_seen_target_is_not_connected() {
    assert_eq!(
        connection_state(None, now(), STALE),
        ConnectionState::NotConnected
    );
}

#[test]
fn target_seen_exactly_at_the_threshold_is_connected() {
    let seen = now() - chrono::Duration::seconds(60);
    assert_eq!(
        connection_state(Some(seen), now(), STALE),
        ConnectionState::Connected
    );
}

#[test]
fn target_seen_just_after_the_threshold_is_stale() {
    let seen = now() - chrono::Duration::milliseconds(60_001);
    assert_eq!(
        connection_state(Some(seen), now(), STALE),
        ConnectionState::Stale
    );
}

#[test]
fn target_seen_in_the_future_is_connected() {
    let seen = now() + chrono::Duration::seconds(5);
    assert_eq!(
        connection_state(Some(seen), now(), STALE),
        ConnectionState::Connected
    );
}

#[test]
fn huge_threshold_never_goes_stale() {
    let seen = now() - chrono::Duration::days(10_000);
    assert_eq!(
        connection_state(Some(seen), now(), Duration::from_secs(u64::MAX)),
        ConnectionState::Connected
    );
}

#[test]
fn states_serialize_snake_case() {
    assert_eq!(
        serde_json::to_string(&ConnectionState::NotConnected).unwrap(),
        "\"not_connected\""
    );
    assert_eq!(
        serde_json::to_string(&DeploymentHealth::NoStatus).unwrap(),
        "\"no_status\""
    );
    assert_eq!(ConnectionState::Stale.as_str(), "stale");
    assert_eq!(DeploymentHealth::Progressing.to_string(), "progressing");
}

#[test]
fn deployment_without_record_has_no_status() {
    assert_eq!(
        deployment_health(None, now(), STALE),
        DeploymentHealth::NoStatus
    );
}

#[test]
fn old_error_is_still_error() {
    let r = record(revision(1), StatusType::Error, 86_400);
    assert_eq!(
        deployment_health(Some(&r), now(), STALE),
        DeploymentHealth::Error
    );
}

#[test]
fn error_ten_minutes_old_is_still_error() {
    let r = record(revision(1), StatusType::Error, 600);
    assert_eq!(
        deployment_health(Some(&r), now(), STALE),
        DeploymentHealth::Error
    );
}

#[test]
fn progressing_61_seconds_old_is_stale() {
    let r = record(revision(1), StatusType::Progressing, 61);
    assert_eq!(
        deployment_health(Some(&r), now(), STALE),
        DeploymentHealth::Stale
    );
}

#[test]
fn old_healthy_record_is_stale() {
    let r = record(revision(1), StatusType::Healthy, 61);
    assert_eq!(
        deployment_health(Some(&r), now(), STALE),
        DeploymentHealth::Stale
    );
}

#[test]
fn staleness_uses_last_reported_at_not_first() {
    // first_reported_at is an hour old in `record`, yet the record is fresh.
    let r = record(revision(1), StatusType::Running, 10);
    assert_eq!(
        deployment_health(Some(&r), now(), STALE),
        DeploymentHealth::Running
    );
}

#[test]
fn fresh_records_show_their_type() {
    for (t, h) in [
        (StatusType::Progressing, DeploymentHealth::Progressing),
        (StatusType::Running, DeploymentHealth::Running),
        (StatusType::Healthy, DeploymentHealth::Healthy),
        (StatusType::Error, DeploymentHealth::Error),
    ] {
        let r = record(revision(1), t, 0);
        assert_eq!(deployment_health(Some(&r), now(), STALE), h);
    }
}

#[test]
fn revision_is_pending_without_any_record() {
    assert!(revision_pending(revision(1), None));
}

#[test]
fn revision_is_pending_while_latest_record_is_for_an_older_revision() {
    let r = record(revision(1), StatusType::Healthy, 0);
    assert!(revision_pending(revision(2), Some(&r)));
}

#[test]
fn revision_is_not_pending_once_it_has_a_record() {
    let r = record(revision(2), StatusType::Progressing, 0);
    assert!(!revision_pending(revision(2), Some(&r)));
}

fn status_type() -> impl Strategy<Value = StatusType> {
    prop_oneof![
        Just(StatusType::Progressing),
        Just(StatusType::Running),
        Just(StatusType::Healthy),
        Just(StatusType::Error),
    ]
}

proptest! {
    #[test]
    fn health_follows_the_precedence_rules(
        t in status_type(),
        age in -1_000i64..1_000_000,
        stale in 0u64..100_000,
    ) {
        let r = record(revision(1), t, age);
        let h = deployment_health(Some(&r), now(), Duration::from_secs(stale));
        let expected = if t == StatusType::Error {
            DeploymentHealth::Error
        } else if age > i64::try_from(stale).unwrap() {
            DeploymentHealth::Stale
        } else {
            match t {
                StatusType::Progressing => DeploymentHealth::Progressing,
                StatusType::Running => DeploymentHealth::Running,
                _ => DeploymentHealth::Healthy,
            }
        };
        prop_assert_eq!(h, expected);
    }

    #[test]
    fn connection_state_agrees_with_deployment_staleness(
        age in -1_000i64..1_000_000,
        stale in 0u64..100_000,
    ) {
        let seen = now() - chrono::Duration::seconds(age);
        let c = connection_state(Some(seen), now(), Duration::from_secs(stale));
        let r = record(revision(1), StatusType::Healthy, age);
        let h = deployment_health(Some(&r), now(), Duration::from_secs(stale));
        prop_assert_eq!(c == ConnectionState::Stale, h == DeploymentHealth::Stale);
    }
}
