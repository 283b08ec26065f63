//! [`distr_ports::store::RetentionStore`] cases (AP §9.5, HS §6.2).

use distr_domain::deployment::StatusType;
use distr_domain::ids::{RevisionId, StatusId};
use distr_domain::retention::{RetentionJob, RetentionRule};
use distr_ports::Store;
use distr_ports::store::{LeaseRequest, PageRequest};

use super::seed;
use crate::builders::{
    DeploymentLogBuilder, MetricsSampleBuilder, RevisionBuilder, TargetLogBuilder, at_seconds,
    fresh_uuid, unique_suffix,
};

/// Runs `job` in batches of 2 until a short batch, and returns the total.
async fn drain(store: &dyn Store, job: RetentionJob, rule: RetentionRule) -> u64 {
    let mut total = 0;
    loop {
        let deleted = store.delete_expired(job, rule, 2).await.unwrap();
        assert!(deleted <= 2, "a batch deleted {deleted} rows");
        total += deleted;
        if deleted < 2 {
            return total;
        }
    }
}

/// Heartbeat history: rows older than the cutoff go, each target's newest stays.
pub async fn retention_trims_heartbeat_history_keeping_each_targets_newest(store: &dyn Store) {
    let org = seed::organization(store).await;
    let busy = seed::target(store, org.id, "busy").await;
    let quiet = seed::target(store, org.id, "quiet").await;
    for (at, message) in [(0, "OK"), (20, "down"), (40, "OK"), (200, "down")] {
        store
            .record_heartbeat(busy.id, at_seconds(at), message)
            .await
            .unwrap();
    }
    store
        .record_heartbeat(quiet.id, at_seconds(0), "OK")
        .await
        .unwrap();
    let rule = RetentionRule::OlderThan(at_seconds(100));
    assert_eq!(
        drain(store, RetentionJob::DeploymentTargetStatus, rule).await,
        3
    );
    assert_eq!(
        drain(store, RetentionJob::DeploymentTargetStatus, rule).await,
        0
    );
    let quiet = store.get_target(org.id, quiet.id).await.unwrap();
    assert_eq!(quiet.heartbeat.map(|h| h.message).as_deref(), Some("OK"));
}

/// Status records: older ones go, the newest of each deployment (across its
/// revisions) stays.
pub async fn retention_trims_statuses_keeping_each_deployments_newest(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let second = RevisionBuilder::new(seeded.deployment.id, seeded.version.id)
        .created_at(at_seconds(25))
        .build();
    store.add_revision(&second).await.unwrap();
    let (_, other) = seed::deployment_on(store, &seeded.target, &seeded.version).await;
    let record = |revision: RevisionId, message: &'static str, at: i64| {
        store.record_status(
            StatusId::from_uuid(fresh_uuid()),
            revision,
            StatusType::Running,
            message,
            at_seconds(at),
        )
    };
    record(seeded.revision.id, "a", 10).await.unwrap();
    record(seeded.revision.id, "b", 20).await.unwrap();
    record(seeded.revision.id, "c", 30).await.unwrap();
    record(second.id, "d", 40).await.unwrap();
    record(second.id, "fresh", 300).await.unwrap();
    record(other.id, "only", 10).await.unwrap();
    let rule = RetentionRule::OlderThan(at_seconds(100));
    assert_eq!(
        drain(store, RetentionJob::DeploymentRevisionStatus, rule).await,
        4
    );
    let left = store
        .list_statuses(seeded.deployment.id, PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(
        left.iter().map(|s| s.message.as_str()).collect::<Vec<_>>(),
        ["fresh"]
    );
    let kept = store
        .list_statuses(other.deployment_id, PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(kept.len(), 1, "a deployment's only record is its newest");
}

/// Metrics: older samples go, each target's newest stays even when old.
pub async fn retention_trims_metrics_keeping_each_targets_newest(store: &dyn Store) {
    let org = seed::organization(store).await;
    let a = seed::target(store, org.id, "a").await;
    let b = seed::target(store, org.id, "b").await;
    for (target, at) in [(a.id, 10), (a.id, 20), (a.id, 200), (b.id, 10), (b.id, 20)] {
        store
            .insert_metrics(&MetricsSampleBuilder::new(target, at_seconds(at)).build())
            .await
            .unwrap();
    }
    let rule = RetentionRule::OlderThan(at_seconds(100));
    assert_eq!(
        drain(store, RetentionJob::DeploymentTargetMetrics, rule).await,
        3
    );
    let times = |target| async move {
        store
            .list_metrics(target, at_seconds(0), at_seconds(1000))
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.created_at)
            .collect::<Vec<_>>()
    };
    assert_eq!(times(a.id).await, [at_seconds(200)]);
    assert_eq!(times(b.id).await, [at_seconds(20)]);
}

/// Workload logs: the newest N per (deployment, resource) by timestamp stay.
pub async fn retention_keeps_newest_workload_logs_per_resource(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (d, r) = (seeded.deployment.id, seeded.revision.id);
    let mut records = Vec::new();
    for at in [5, 1, 4, 2, 3] {
        records.push(DeploymentLogBuilder::new(d, r, "web", at_seconds(at)).build());
    }
    records.push(DeploymentLogBuilder::new(d, r, "db", at_seconds(1)).build());
    store.insert_deployment_logs(&records).await.unwrap();
    let rule = RetentionRule::KeepNewest(2);
    assert_eq!(
        drain(store, RetentionJob::DeploymentLogRecord, rule).await,
        3
    );
    let web = store
        .list_deployment_logs(d, "web", PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(
        web.iter().map(|l| l.timestamp).collect::<Vec<_>>(),
        [at_seconds(5), at_seconds(4)]
    );
    let db = store
        .list_deployment_logs(d, "db", PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(db.len(), 1);
}

/// Agent logs: the newest N per target by timestamp stay.
pub async fn retention_keeps_newest_agent_logs_per_target(store: &dyn Store) {
    let org = seed::organization(store).await;
    let a = seed::target(store, org.id, "a").await;
    let b = seed::target(store, org.id, "b").await;
    let mut records = Vec::new();
    for at in [3, 1, 2] {
        records.push(TargetLogBuilder::new(a.id, at_seconds(at)).build());
    }
    records.push(TargetLogBuilder::new(b.id, at_seconds(1)).build());
    store.insert_target_logs(&records).await.unwrap();
    let rule = RetentionRule::KeepNewest(1);
    assert_eq!(
        drain(store, RetentionJob::DeploymentTargetLogRecord, rule).await,
        2
    );
    let left = store
        .list_target_logs(a.id, PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(
        left.iter().map(|l| l.timestamp).collect::<Vec<_>>(),
        [at_seconds(3)]
    );
    let other = store
        .list_target_logs(b.id, PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(other.len(), 1);
}

/// Nothing to delete is a zero, not an error, for every job and rule.
pub async fn retention_on_empty_tables_deletes_nothing(store: &dyn Store) {
    for job in RetentionJob::ALL {
        for rule in [
            RetentionRule::OlderThan(at_seconds(0)),
            RetentionRule::KeepNewest(1),
        ] {
            assert_eq!(store.delete_expired(job, rule, 100).await.unwrap(), 0);
        }
    }
}

fn lease<'a>(name: &'a str, holder: &'a str, slot: i64, now: i64) -> LeaseRequest<'a> {
    LeaseRequest {
        name,
        holder,
        slot: at_seconds(slot),
        now: at_seconds(now),
        expires_at: at_seconds(now + 60),
    }
}

/// A lease is granted when absent, renewed by its holder, refused to others
/// while it runs, and each slot is granted at most once.
pub async fn lease_is_exclusive_and_each_slot_runs_once(store: &dyn Store) {
    let name = format!("job-{}", unique_suffix());
    let name = name.as_str();
    assert!(
        store
            .acquire_lease(lease(name, "a", 100, 100))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(lease(name, "b", 100, 101))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(lease(name, "b", 160, 150))
            .await
            .unwrap(),
        "a later slot waits until the running lease lapses"
    );
    assert!(
        store
            .acquire_lease(lease(name, "a", 100, 130))
            .await
            .unwrap(),
        "the holder renews"
    );
    store
        .release_lease(name, "b", at_seconds(131))
        .await
        .unwrap();
    assert!(
        !store
            .acquire_lease(lease(name, "b", 160, 140))
            .await
            .unwrap(),
        "releasing someone else's lease changes nothing"
    );
    store
        .release_lease(name, "a", at_seconds(140))
        .await
        .unwrap();
    assert!(
        !store
            .acquire_lease(lease(name, "b", 100, 141))
            .await
            .unwrap(),
        "a finished slot does not run again"
    );
    assert!(
        store
            .acquire_lease(lease(name, "b", 160, 160))
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(lease(&format!("{name}-other"), "a", 160, 160))
            .await
            .unwrap(),
        "leases of other names are independent"
    );
}

/// A lapsed lease of an earlier slot is taken over even without a release
/// (its holder died).
pub async fn lapsed_lease_is_taken_over(store: &dyn Store) {
    let name = format!("job-{}", unique_suffix());
    assert!(
        store
            .acquire_lease(lease(&name, "dead", 100, 100))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(lease(&name, "b", 200, 159))
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(lease(&name, "b", 200, 160))
            .await
            .unwrap()
    );
}

/// Of concurrent callers for one slot, exactly one is granted.
pub async fn concurrent_lease_requests_grant_one(store: &dyn Store) {
    let name = format!("job-{}", unique_suffix());
    let (a, b, c, d) = tokio::join!(
        store.acquire_lease(lease(&name, "a", 100, 100)),
        store.acquire_lease(lease(&name, "b", 100, 100)),
        store.acquire_lease(lease(&name, "c", 100, 100)),
        store.acquire_lease(lease(&name, "d", 100, 100)),
    );
    let granted = [a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap()];
    assert_eq!(granted.iter().filter(|g| **g).count(), 1, "{granted:?}");
}
