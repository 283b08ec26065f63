//! [`distr_ports::store::StatusStore`] cases (AP §9.2).

use distr_domain::deployment::{DeploymentRevision, StatusRecord, StatusType};
use distr_domain::ids::{DeploymentId, RevisionId, StatusId};
use distr_ports::store::{Cursor, PageRequest};
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{RevisionBuilder, at_seconds, fresh_uuid};

fn new_id() -> StatusId {
    StatusId::from_uuid(fresh_uuid())
}

async fn record(
    store: &dyn Store,
    revision: RevisionId,
    kind: StatusType,
    message: &str,
    at: i64,
) -> StatusRecord {
    store
        .record_status(new_id(), revision, kind, message, at_seconds(at))
        .await
        .unwrap()
}

async fn second_revision(
    store: &dyn Store,
    seeded: &seed::SeededDeployment,
    offset: i64,
) -> DeploymentRevision {
    let revision = RevisionBuilder::new(seeded.deployment.id, seeded.version.id)
        .created_at(seeded.revision.created_at + chrono::Duration::seconds(offset))
        .build();
    store.add_revision(&revision).await.unwrap();
    revision
}

/// The first report inserts a record with the given id and both times = `at`.
pub async fn record_status_inserts_first_report(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let id = new_id();
    let stored = store
        .record_status(
            id,
            seeded.revision.id,
            StatusType::Progressing,
            "installing",
            at_seconds(5),
        )
        .await
        .unwrap();
    let expected = StatusRecord {
        id,
        deployment_revision_id: seeded.revision.id,
        status_type: StatusType::Progressing,
        message: "installing".to_owned(),
        first_reported_at: at_seconds(5),
        last_reported_at: at_seconds(5),
    };
    assert_eq!(stored, expected);
    assert_eq!(
        store
            .list_statuses(seeded.deployment.id, PageRequest::first(10))
            .await
            .unwrap(),
        vec![expected]
    );
}

/// A report equal to the revision's newest record MUST only move its `last_reported_at`.
pub async fn record_status_coalesces_identical_reports_per_revision(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let first = record(store, seeded.revision.id, StatusType::Running, "up", 10).await;
    let second = record(store, seeded.revision.id, StatusType::Running, "up", 20).await;
    assert_eq!(second.id, first.id);
    assert_eq!(second.first_reported_at, at_seconds(10));
    assert_eq!(second.last_reported_at, at_seconds(20));
    assert_eq!(
        store
            .list_statuses(seeded.deployment.id, PageRequest::first(10))
            .await
            .unwrap(),
        vec![second]
    );
}

/// A different type or message MUST insert a new record.
pub async fn record_status_with_new_type_or_message_inserts_record(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let r = seeded.revision.id;
    let a = record(store, r, StatusType::Running, "up", 10).await;
    let b = record(store, r, StatusType::Healthy, "up", 20).await;
    let c = record(store, r, StatusType::Healthy, "all good", 30).await;
    assert_ne!(a.id, b.id);
    assert_ne!(b.id, c.id);
    assert_eq!(
        store
            .list_statuses(seeded.deployment.id, PageRequest::first(10))
            .await
            .unwrap(),
        vec![c, b, a]
    );
}

/// Only the newest record coalesces: returning to an earlier status inserts a record.
pub async fn record_status_returning_to_earlier_status_inserts_record(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let r = seeded.revision.id;
    let first = record(store, r, StatusType::Running, "up", 10).await;
    record(store, r, StatusType::Error, "crashed", 20).await;
    let again = record(store, r, StatusType::Running, "up", 30).await;
    assert_ne!(again.id, first.id);
    assert_eq!(again.first_reported_at, at_seconds(30));
    assert_eq!(
        store
            .list_statuses(seeded.deployment.id, PageRequest::first(10))
            .await
            .unwrap()
            .len(),
        3
    );
}

/// Coalescing is per revision: the same report on another revision inserts a record.
pub async fn record_status_does_not_coalesce_across_revisions(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let newer = second_revision(store, &seeded, 10).await;
    let a = record(store, seeded.revision.id, StatusType::Running, "up", 10).await;
    let b = record(store, newer.id, StatusType::Running, "up", 20).await;
    assert_ne!(a.id, b.id);
    assert_eq!(b.deployment_revision_id, newer.id);
}

/// `record_status` MUST return `NotFound` when the revision does not exist.
pub async fn record_status_for_unknown_revision_is_not_found(store: &dyn Store) {
    let unknown = RevisionId::from_uuid(fresh_uuid());
    let err = store
        .record_status(new_id(), unknown, StatusType::Running, "", at_seconds(1))
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::NotFound);
}

/// The latest status is the newest record of the newest revision that has any
/// record, even when an older revision reported later.
pub async fn latest_status_is_newest_record_of_newest_revision_with_records(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let middle = second_revision(store, &seeded, 10).await;
    second_revision(store, &seeded, 20).await;
    record(store, middle.id, StatusType::Progressing, "installing", 50).await;
    let latest = record(store, middle.id, StatusType::Healthy, "", 60).await;
    record(
        store,
        seeded.revision.id,
        StatusType::Error,
        "old revision still reporting",
        100,
    )
    .await;
    let statuses = store
        .latest_statuses(&[seeded.deployment.id])
        .await
        .unwrap();
    assert_eq!(statuses, vec![(seeded.deployment.id, latest)]);
}

/// `latest_statuses` answers for several deployments and leaves out those without records.
pub async fn latest_statuses_leave_out_deployments_without_records(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (silent, _) = seed::deployment_on(store, &seeded.target, &seeded.version).await;
    let (other, other_revision) = seed::deployment_on(store, &seeded.target, &seeded.version).await;
    let a = record(store, seeded.revision.id, StatusType::Running, "a", 10).await;
    let b = record(store, other_revision.id, StatusType::Error, "b", 20).await;
    let unknown = DeploymentId::from_uuid(fresh_uuid());
    let mut statuses = store
        .latest_statuses(&[seeded.deployment.id, silent.id, other.id, unknown])
        .await
        .unwrap();
    statuses.sort_by_key(|(d, _)| *d);
    let mut expected = vec![(seeded.deployment.id, a), (other.id, b)];
    expected.sort_by_key(|(d, _)| *d);
    assert_eq!(statuses, expected);
}

/// Pages follow one another through the cursor without losing or repeating
/// rows, across revisions and with ties on `last_reported_at` broken by id.
pub async fn list_statuses_pages_with_cursor_without_loss(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let newer = second_revision(store, &seeded, 10).await;
    let mut all = Vec::new();
    for (i, at) in [10, 20, 20, 30, 40, 40, 50].into_iter().enumerate() {
        let revision = if i % 2 == 0 {
            seeded.revision.id
        } else {
            newer.id
        };
        all.push(record(store, revision, StatusType::Running, &format!("m{i}"), at).await);
    }
    all.sort_by_key(|r| std::cmp::Reverse((r.last_reported_at, r.id)));
    let mut seen = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let rows = store
            .list_statuses(seeded.deployment.id, page)
            .await
            .unwrap();
        assert!(rows.len() <= 3);
        let Some(last) = rows.last() else { break };
        page.before = Some(Cursor {
            time: last.last_reported_at,
            id: last.id.as_uuid(),
        });
        seen.extend(rows);
    }
    assert_eq!(seen, all);
}

/// `after` keeps only rows strictly newer than the given time.
pub async fn list_statuses_after_returns_only_newer_rows(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let r = seeded.revision.id;
    record(store, r, StatusType::Running, "a", 10).await;
    record(store, r, StatusType::Running, "b", 20).await;
    let c = record(store, r, StatusType::Running, "c", 30).await;
    let page = PageRequest {
        limit: 10,
        before: None,
        after: Some(at_seconds(20)),
    };
    assert_eq!(
        store
            .list_statuses(seeded.deployment.id, page)
            .await
            .unwrap(),
        vec![c]
    );
}
