//! [`distr_ports::store::TargetStore::record_heartbeat`] cases (AP §9.1).

use chrono::Duration;
use distr_domain::ids::TargetId;
use distr_domain::target::DeploymentTarget;
use distr_ports::Store;
use distr_ports::store::HeartbeatOutcome;

use super::seed;
use crate::builders::{at_seconds, fresh_uuid};

async fn heartbeat_of(
    store: &dyn Store,
    target: &DeploymentTarget,
) -> distr_domain::target::Heartbeat {
    let stored = store
        .get_target(target.organization_id, target.id)
        .await
        .unwrap();
    stored.heartbeat.expect("heartbeat stored")
}

/// The first contact writes a heartbeat with `message_since` = `last_seen_at` = `at`.
pub async fn first_heartbeat_records_message_change(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    let outcome = store
        .record_heartbeat(target.id, at_seconds(100), "OK")
        .await
        .unwrap();
    assert_eq!(outcome, HeartbeatOutcome::MessageChanged);
    let heartbeat = heartbeat_of(store, &target).await;
    assert_eq!(heartbeat.message, "OK");
    assert_eq!(heartbeat.last_seen_at, at_seconds(100));
    assert_eq!(heartbeat.message_since, at_seconds(100));
}

/// An unchanged message less than 10 s after `last_seen_at` MUST NOT write.
pub async fn record_heartbeat_coalesces_within_ten_seconds(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    store
        .record_heartbeat(target.id, at_seconds(100), "OK")
        .await
        .unwrap();
    let almost = at_seconds(109) + Duration::microseconds(999_999);
    assert_eq!(
        store
            .record_heartbeat(target.id, almost, "OK")
            .await
            .unwrap(),
        HeartbeatOutcome::Coalesced
    );
    let heartbeat = heartbeat_of(store, &target).await;
    assert_eq!(heartbeat.last_seen_at, at_seconds(100));
}

/// An unchanged message 10 s or more after `last_seen_at` MUST update `last_seen_at` only.
pub async fn record_heartbeat_refreshes_after_ten_seconds(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    store
        .record_heartbeat(target.id, at_seconds(100), "OK")
        .await
        .unwrap();
    let before = heartbeat_of(store, &target).await;
    assert_eq!(
        store
            .record_heartbeat(target.id, at_seconds(110), "OK")
            .await
            .unwrap(),
        HeartbeatOutcome::Refreshed
    );
    assert_eq!(
        store
            .record_heartbeat(target.id, at_seconds(115), "OK")
            .await
            .unwrap(),
        HeartbeatOutcome::Coalesced
    );
    assert_eq!(
        store
            .record_heartbeat(target.id, at_seconds(130), "OK")
            .await
            .unwrap(),
        HeartbeatOutcome::Refreshed
    );
    let after = heartbeat_of(store, &target).await;
    assert_eq!(after.last_seen_at, at_seconds(130));
    assert_eq!(after.message_since, at_seconds(100));
    assert_eq!(after.change_id, before.change_id);
}

/// A changed message MUST insert a history row and set `message_since`, even within 10 s.
pub async fn record_heartbeat_with_new_message_records_change(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    store
        .record_heartbeat(target.id, at_seconds(100), "OK")
        .await
        .unwrap();
    let before = heartbeat_of(store, &target).await;
    let outcome = store
        .record_heartbeat(target.id, at_seconds(102), "docker unreachable")
        .await
        .unwrap();
    assert_eq!(outcome, HeartbeatOutcome::MessageChanged);
    let after = heartbeat_of(store, &target).await;
    assert_eq!(after.message, "docker unreachable");
    assert_eq!(after.message_since, at_seconds(102));
    assert_eq!(after.last_seen_at, at_seconds(102));
    assert_ne!(after.change_id, before.change_id);
}

/// A heartbeat of an unknown target MUST be ignored (`Coalesced`).
pub async fn heartbeat_of_unknown_target_is_ignored(store: &dyn Store) {
    let unknown = TargetId::from_uuid(fresh_uuid());
    let outcome = store
        .record_heartbeat(unknown, at_seconds(1), "OK")
        .await
        .unwrap();
    assert_eq!(outcome, HeartbeatOutcome::Coalesced);
    assert!(store.find_target(unknown).await.unwrap().is_none());
}
