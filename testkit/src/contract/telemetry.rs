//! [`distr_ports::store::MetricsStore`] and [`distr_ports::store::LogStore`] cases.

use distr_domain::ids::{LogRecordId, TargetId};
use distr_ports::store::{Cursor, PageRequest};
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{
    DeploymentLogBuilder, MetricsSampleBuilder, TargetLogBuilder, at_seconds, fresh_uuid,
};

/// `insert_metrics` MUST return `NotFound` for an unknown target.
pub async fn insert_metrics_for_unknown_target_is_not_found(store: &dyn Store) {
    let sample =
        MetricsSampleBuilder::new(TargetId::from_uuid(fresh_uuid()), at_seconds(1)).build();
    assert_eq!(
        store.insert_metrics(&sample).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `latest_metrics` gives each target's newest sample and leaves out targets without any.
pub async fn latest_metrics_is_newest_sample_per_target(store: &dyn Store) {
    let org = seed::organization(store).await;
    let a = seed::target(store, org.id, "a").await;
    let b = seed::target(store, org.id, "b").await;
    let silent = seed::target(store, org.id, "silent").await;
    let newest_a = MetricsSampleBuilder::new(a.id, at_seconds(20))
        .cpu_usage(0.25)
        .build();
    let older_a = MetricsSampleBuilder::new(a.id, at_seconds(10))
        .cpu_usage(0.75)
        .build();
    let only_b = MetricsSampleBuilder::new(b.id, at_seconds(5)).build();
    for sample in [&newest_a, &older_a, &only_b] {
        store.insert_metrics(sample).await.unwrap();
    }
    let mut latest = store
        .latest_metrics(&[a.id, b.id, silent.id])
        .await
        .unwrap();
    latest.sort_by_key(|m| m.deployment_target_id);
    let mut expected = vec![newest_a, only_b];
    expected.sort_by_key(|m| m.deployment_target_id);
    assert_eq!(latest, expected);
}

/// Workload logs list per deployment and resource, newest first.
pub async fn deployment_logs_list_by_resource_newest_first(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (d, r) = (seeded.deployment.id, seeded.revision.id);
    let (other, other_revision) = seed::deployment_on(store, &seeded.target, &seeded.version).await;
    let older = DeploymentLogBuilder::new(d, r, "web", at_seconds(10))
        .body("first")
        .build();
    let newer = DeploymentLogBuilder::new(d, r, "web", at_seconds(20))
        .body("second")
        .build();
    let db = DeploymentLogBuilder::new(d, r, "db", at_seconds(30)).build();
    let foreign =
        DeploymentLogBuilder::new(other.id, other_revision.id, "web", at_seconds(40)).build();
    store
        .insert_deployment_logs(&[older.clone(), newer.clone(), db])
        .await
        .unwrap();
    store.insert_deployment_logs(&[foreign]).await.unwrap();
    let listed = store
        .list_deployment_logs(d, "web", PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(listed, vec![newer, older]);
}

/// A batch with a failing record MUST store none of its records.
pub async fn insert_deployment_logs_is_all_or_none(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (d, r) = (seeded.deployment.id, seeded.revision.id);
    let existing = DeploymentLogBuilder::new(d, r, "web", at_seconds(1)).build();
    store
        .insert_deployment_logs(std::slice::from_ref(&existing))
        .await
        .unwrap();
    let fresh = DeploymentLogBuilder::new(d, r, "web", at_seconds(2)).build();
    let duplicate = DeploymentLogBuilder::new(d, r, "web", at_seconds(3))
        .id(existing.id)
        .build();
    assert!(
        store
            .insert_deployment_logs(&[fresh, duplicate])
            .await
            .is_err()
    );
    assert_eq!(
        store
            .list_deployment_logs(d, "web", PageRequest::first(10))
            .await
            .unwrap(),
        vec![existing]
    );
}

/// Workload log pages follow one another through the cursor, ties broken by id.
pub async fn deployment_logs_page_with_cursor_without_loss(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (d, r) = (seeded.deployment.id, seeded.revision.id);
    let mut all: Vec<_> = [5, 5, 5, 6, 7, 7, 8]
        .into_iter()
        .map(|s| DeploymentLogBuilder::new(d, r, "web", at_seconds(s)).build())
        .collect();
    store.insert_deployment_logs(&all).await.unwrap();
    all.sort_by_key(|l| std::cmp::Reverse((l.timestamp, l.id)));
    let mut seen = Vec::new();
    let mut page = PageRequest::first(2);
    loop {
        let rows = store.list_deployment_logs(d, "web", page).await.unwrap();
        let Some(last) = rows.last() else { break };
        page.before = Some(Cursor {
            time: last.timestamp,
            id: last.id.as_uuid(),
        });
        seen.extend(rows);
    }
    assert_eq!(seen, all);
    let after = PageRequest {
        limit: 10,
        before: None,
        after: Some(at_seconds(7)),
    };
    assert_eq!(
        store
            .list_deployment_logs(d, "web", after)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Agent logs list per target, newest first, paged by cursor and `after`.
pub async fn target_logs_list_newest_first_and_page(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    let other = seed::target(store, org.id, "other").await;
    let mut all: Vec<_> = [1, 2, 2, 3]
        .into_iter()
        .map(|s| TargetLogBuilder::new(target.id, at_seconds(s)).build())
        .collect();
    store.insert_target_logs(&all).await.unwrap();
    store
        .insert_target_logs(&[TargetLogBuilder::new(other.id, at_seconds(9)).build()])
        .await
        .unwrap();
    all.sort_by_key(|l| std::cmp::Reverse((l.timestamp, l.id)));
    let first = store
        .list_target_logs(target.id, PageRequest::first(3))
        .await
        .unwrap();
    assert_eq!(first, all[..3]);
    let last = &first[2];
    let next = PageRequest {
        limit: 3,
        before: Some(Cursor {
            time: last.timestamp,
            id: last.id.as_uuid(),
        }),
        after: None,
    };
    assert_eq!(
        store.list_target_logs(target.id, next).await.unwrap(),
        all[3..]
    );
    let newer = PageRequest {
        limit: 10,
        before: None,
        after: Some(at_seconds(2)),
    };
    assert_eq!(
        store.list_target_logs(target.id, newer).await.unwrap(),
        all[..1]
    );
}

/// A batch of agent logs with a failing record MUST store none of its records.
pub async fn insert_target_logs_is_all_or_none(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    let id = LogRecordId::from_uuid(fresh_uuid());
    let a = TargetLogBuilder::new(target.id, at_seconds(1))
        .id(id)
        .build();
    let b = TargetLogBuilder::new(target.id, at_seconds(2))
        .id(id)
        .build();
    assert!(store.insert_target_logs(&[a, b]).await.is_err());
    assert!(
        store
            .list_target_logs(target.id, PageRequest::first(10))
            .await
            .unwrap()
            .is_empty()
    );
}

/// `list_metrics` gives one target's samples with `from <= created_at < to`, oldest first.
pub async fn list_metrics_returns_the_range_oldest_first(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    let other = seed::target(store, org.id, "other").await;
    let samples: Vec<_> = [30, 10, 20, 40, 5]
        .into_iter()
        .map(|s| MetricsSampleBuilder::new(target.id, at_seconds(s)).build())
        .collect();
    for sample in &samples {
        store.insert_metrics(sample).await.unwrap();
    }
    store
        .insert_metrics(&MetricsSampleBuilder::new(other.id, at_seconds(20)).build())
        .await
        .unwrap();
    let listed = store
        .list_metrics(target.id, at_seconds(10), at_seconds(40))
        .await
        .unwrap();
    let times: Vec<_> = listed.iter().map(|m| m.created_at).collect();
    assert_eq!(times, [at_seconds(10), at_seconds(20), at_seconds(30)]);
    assert!(listed.iter().all(|m| m.deployment_target_id == target.id));
    let unknown = TargetId::from_uuid(fresh_uuid());
    assert!(
        store
            .list_metrics(unknown, at_seconds(0), at_seconds(100))
            .await
            .unwrap()
            .is_empty()
    );
}

/// `list_log_resources` lists each resource of one deployment once, sorted.
pub async fn list_log_resources_is_distinct_and_sorted(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (d, r) = (seeded.deployment.id, seeded.revision.id);
    let (other, other_revision) = seed::deployment_on(store, &seeded.target, &seeded.version).await;
    let records: Vec<_> = [("web", 1), ("db", 2), ("web", 3), ("Worker", 4)]
        .into_iter()
        .map(|(res, s)| DeploymentLogBuilder::new(d, r, res, at_seconds(s)).build())
        .collect();
    store.insert_deployment_logs(&records).await.unwrap();
    store
        .insert_deployment_logs(&[DeploymentLogBuilder::new(
            other.id,
            other_revision.id,
            "cache",
            at_seconds(5),
        )
        .build()])
        .await
        .unwrap();
    assert_eq!(
        store.list_log_resources(d).await.unwrap(),
        ["Worker", "db", "web"]
    );
    assert!(store.list_log_resources(other.id).await.unwrap() == ["cache"]);
}
