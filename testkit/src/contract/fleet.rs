//! [`distr_ports::store::FleetStore`] cases (HS §6.5).

use std::time::Duration;

use distr_domain::deployment::StatusType;
use distr_domain::health::{ConnectionState, DeploymentHealth};
use distr_domain::ids::{RevisionId, StatusId};
use distr_domain::target::DeploymentTarget;
use distr_ports::Store;
use distr_ports::store::FleetCounts;

use super::seed;
use crate::builders::{RevisionBuilder, at_seconds, fresh_uuid};

const STALE: Duration = Duration::from_secs(60);

async fn report(store: &dyn Store, revision: RevisionId, kind: StatusType, at: i64) {
    store
        .record_status(
            StatusId::from_uuid(fresh_uuid()),
            revision,
            kind,
            "m",
            at_seconds(at),
        )
        .await
        .expect("record status");
}

async fn seen_target(store: &dyn Store, org: distr_domain::ids::OrganizationId, at: Option<i64>) {
    let target = seed::target(store, org, "fleet").await;
    if let Some(at) = at {
        store
            .record_heartbeat(target.id, at_seconds(at), "OK")
            .await
            .expect("heartbeat");
    }
}

/// A deployment with one revision created at `created` (seconds) on `target`.
async fn deployment(
    store: &dyn Store,
    target: &DeploymentTarget,
    created: i64,
) -> (
    distr_domain::ids::DeploymentId,
    RevisionId,
    distr_domain::ids::ApplicationVersionId,
) {
    let (_, version) = seed::docker_app(store, target.organization_id).await;
    let (deployment, mut revision) =
        crate::builders::DeploymentBuilder::new(target.id, version.application_id)
            .build_with_revision(version.id);
    revision.created_at = at_seconds(created);
    store
        .create_deployment(&deployment, &revision)
        .await
        .expect("create deployment");
    (deployment.id, revision.id, version.id)
}

/// Targets count by connection state and deployments by the health of their
/// latest status, as the domain functions decide, at `now` with `stale_after`.
pub async fn fleet_counts_classify_targets_and_deployments(store: &dyn Store) {
    let now = at_seconds(120);
    let before = store.fleet_counts(now, STALE).await.unwrap();
    let org = seed::organization(store).await;

    // Targets: never seen, seen at the cutoff (connected), just before it
    // (stale), recently (connected), in the future (connected).
    for at in [None, Some(60), Some(59), Some(110), Some(130)] {
        seen_target(store, org.id, at).await;
    }
    let host = seed::target(store, org.id, "host").await;

    // Deployments on `host` (never seen: one more not_connected target).
    deployment(store, &host, 0).await; // no status
    let (_, errored, _) = deployment(store, &host, 0).await;
    report(store, errored, StatusType::Error, 10).await; // error, however old
    let (_, stale, _) = deployment(store, &host, 0).await;
    report(store, stale, StatusType::Running, 59).await; // stale
    let (_, edge, _) = deployment(store, &host, 0).await;
    report(store, edge, StatusType::Healthy, 60).await; // healthy at the cutoff
    let (_, progressing, _) = deployment(store, &host, 0).await;
    report(store, progressing, StatusType::Progressing, 110).await;
    let (_, running, _) = deployment(store, &host, 0).await;
    report(store, running, StatusType::Running, 115).await;
    // A newer revision without records: the older revision's record counts.
    let (id, older, version) = deployment(store, &host, 0).await;
    report(store, older, StatusType::Healthy, 100).await;
    let newer = RevisionBuilder::new(id, version)
        .created_at(at_seconds(50))
        .build();
    store.add_revision(&newer).await.unwrap();
    // A newer revision with a record wins over a fresher record of an older one.
    let (id, older, version) = deployment(store, &host, 0).await;
    report(store, older, StatusType::Healthy, 119).await;
    let newer = RevisionBuilder::new(id, version)
        .created_at(at_seconds(50))
        .build();
    store.add_revision(&newer).await.unwrap();
    report(store, newer.id, StatusType::Error, 100).await;

    let after = store.fleet_counts(now, STALE).await.unwrap();
    let mut expected = before;
    expected.add_targets(ConnectionState::NotConnected, 2);
    expected.add_targets(ConnectionState::Connected, 3);
    expected.add_targets(ConnectionState::Stale, 1);
    expected.add_deployments(DeploymentHealth::NoStatus, 1);
    expected.add_deployments(DeploymentHealth::Error, 2);
    expected.add_deployments(DeploymentHealth::Stale, 1);
    expected.add_deployments(DeploymentHealth::Healthy, 2);
    expected.add_deployments(DeploymentHealth::Progressing, 1);
    expected.add_deployments(DeploymentHealth::Running, 1);
    assert_eq!(after, expected);

    // A window too large for chrono: every seen target is connected, every
    // non-error status is fresh.
    let wide = store.fleet_counts(now, Duration::MAX).await.unwrap();
    assert_eq!(
        wide.targets_in(ConnectionState::Stale),
        before.targets_in(ConnectionState::Stale)
    );
    assert_eq!(
        wide.deployments_with(DeploymentHealth::Stale),
        before.deployments_with(DeploymentHealth::Stale)
    );
    assert_eq!(
        wide.targets.iter().sum::<u64>(),
        after.targets.iter().sum::<u64>()
    );
}

/// An empty store counts nothing.
pub async fn fleet_counts_of_an_empty_store_are_zero(store: &dyn Store) {
    let counts = store.fleet_counts(at_seconds(0), STALE).await.unwrap();
    // Other cases may share the store: only a fresh one is all zeros.
    if store.count_organizations().await.unwrap() == 0 {
        assert_eq!(counts, FleetCounts::default());
    }
}
