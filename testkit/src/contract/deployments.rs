//! [`distr_ports::store::DeploymentStore`] cases.

use distr_domain::deployment::{RevisionTrigger, StatusType};
use distr_domain::ids::{DeploymentId, RevisionId, StatusId, TargetId};
use distr_ports::store::PageRequest;
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{
    ApplicationBuilder, DeploymentBuilder, DeploymentLogBuilder, RevisionBuilder, VersionBuilder,
    at_seconds, fresh_uuid, last_good_payload,
};

/// Two revision ids in ascending order.
fn ordered_revision_ids() -> (RevisionId, RevisionId) {
    let (a, b) = (fresh_uuid(), fresh_uuid());
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    (RevisionId::from_uuid(low), RevisionId::from_uuid(high))
}

/// `create_deployment` stores the deployment and its first revision.
pub async fn create_deployment_stores_deployment_and_first_revision(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    assert_eq!(
        store.find_deployment(seeded.deployment.id).await.unwrap(),
        Some(seeded.deployment.clone())
    );
    assert_eq!(
        store.find_revision(seeded.revision.id).await.unwrap(),
        Some(seeded.revision.clone())
    );
    assert_eq!(
        store.list_revisions(seeded.deployment.id).await.unwrap(),
        vec![seeded.revision]
    );
}

/// A helm deployment and a fully populated revision read back field for field.
pub async fn helm_deployment_and_revision_round_trip(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    let user = crate::builders::UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    let app = ApplicationBuilder::kubernetes(org.id).build();
    store.create_application(&app).await.unwrap();
    let version = VersionBuilder::helm(app.id).build();
    store.create_version(&version).await.unwrap();
    let deployment = DeploymentBuilder::new(target.id, app.id)
        .release_name("web")
        .logs_enabled(true)
        .build();
    let revision = RevisionBuilder::new(deployment.id, version.id)
        .values_yaml("replicas: 3\n")
        .env_file("A=1\n")
        .force_restart(true)
        .created_by(user.id)
        .trigger(RevisionTrigger::SecretChanged)
        .build();
    store
        .create_deployment(&deployment, &revision)
        .await
        .unwrap();
    assert_eq!(
        store.find_deployment(deployment.id).await.unwrap(),
        Some(deployment)
    );
    assert_eq!(
        store.find_revision(revision.id).await.unwrap(),
        Some(revision)
    );
}

/// `create_deployment` MUST return `Conflict("release name")` for a taken release name, storing neither row.
pub async fn create_deployment_with_duplicate_release_name_stores_nothing(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let first = DeploymentBuilder::new(seeded.target.id, seeded.app.id).release_name("web");
    let (first, first_revision) = first.build_with_revision(seeded.version.id);
    store
        .create_deployment(&first, &first_revision)
        .await
        .unwrap();
    let (second, second_revision) = DeploymentBuilder::new(seeded.target.id, seeded.app.id)
        .release_name("web")
        .build_with_revision(seeded.version.id);
    let err = store
        .create_deployment(&second, &second_revision)
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::Conflict("release name".to_owned()));
    assert!(store.find_deployment(second.id).await.unwrap().is_none());
    assert!(
        store
            .find_revision(second_revision.id)
            .await
            .unwrap()
            .is_none()
    );
}

/// Release names are unique per target only.
pub async fn same_release_name_on_other_target_is_allowed(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let other = seed::target(store, seeded.org.id, "other").await;
    for target in [&seeded.target, &other] {
        let (d, r) = DeploymentBuilder::new(target.id, seeded.app.id)
            .release_name("shared")
            .build_with_revision(seeded.version.id);
        store.create_deployment(&d, &r).await.unwrap();
    }
}

/// `create_deployment` MUST return `NotFound` when the target does not exist.
pub async fn create_deployment_on_unknown_target_is_not_found(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (d, r) = DeploymentBuilder::new(TargetId::from_uuid(fresh_uuid()), seeded.app.id)
        .build_with_revision(seeded.version.id);
    assert_eq!(
        store.create_deployment(&d, &r).await.unwrap_err(),
        StoreError::NotFound
    );
    assert!(store.find_revision(r.id).await.unwrap().is_none());
}

/// `add_revision` MUST return `NotFound` when the deployment does not exist.
pub async fn add_revision_to_unknown_deployment_is_not_found(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let revision =
        RevisionBuilder::new(DeploymentId::from_uuid(fresh_uuid()), seeded.version.id).build();
    assert_eq!(
        store.add_revision(&revision).await.unwrap_err(),
        StoreError::NotFound
    );
    assert!(store.find_revision(revision.id).await.unwrap().is_none());
}

/// The current revision is the newest by `created_at`, not the last inserted.
pub async fn current_revision_is_newest_by_created_at(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let d = seeded.deployment.id;
    let newest = RevisionBuilder::new(d, seeded.version.id)
        .created_at(seeded.revision.created_at + chrono::Duration::seconds(20))
        .build();
    let middle = RevisionBuilder::new(d, seeded.version.id)
        .created_at(seeded.revision.created_at + chrono::Duration::seconds(10))
        .build();
    store.add_revision(&newest).await.unwrap();
    store.add_revision(&middle).await.unwrap();
    assert_eq!(
        store.current_revisions(&[d]).await.unwrap(),
        vec![newest.clone()]
    );
    assert_eq!(
        store.list_revisions(d).await.unwrap(),
        vec![newest, middle, seeded.revision]
    );
}

/// Revisions created at the same instant: the greater id is current and listed first.
pub async fn current_revision_ties_break_by_greater_id(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let d = seeded.deployment.id;
    let at = seeded.revision.created_at + chrono::Duration::seconds(5);
    let (low, high) = ordered_revision_ids();
    let high_rev = RevisionBuilder::new(d, seeded.version.id)
        .id(high)
        .created_at(at)
        .build();
    let low_rev = RevisionBuilder::new(d, seeded.version.id)
        .id(low)
        .created_at(at)
        .build();
    store.add_revision(&high_rev).await.unwrap();
    store.add_revision(&low_rev).await.unwrap();
    assert_eq!(
        store.current_revisions(&[d]).await.unwrap(),
        vec![high_rev.clone()]
    );
    assert_eq!(
        store.list_revisions(d).await.unwrap(),
        vec![high_rev, low_rev, seeded.revision]
    );
}

/// `current_revisions` answers for several deployments at once and leaves out unknown ones.
pub async fn current_revisions_cover_each_requested_deployment(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (other, other_revision) = seed::deployment_on(store, &seeded.target, &seeded.version).await;
    let unknown = DeploymentId::from_uuid(fresh_uuid());
    let mut current = store
        .current_revisions(&[seeded.deployment.id, unknown, other.id])
        .await
        .unwrap();
    current.sort_by_key(|r| r.id);
    let mut expected = vec![seeded.revision, other_revision];
    expected.sort_by_key(|r| r.id);
    assert_eq!(current, expected);
}

/// `list_deployments_of_targets` lists the given targets' deployments in creation order.
pub async fn list_deployments_of_targets_is_in_creation_order(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let other = seed::target(store, seeded.org.id, "other").await;
    let excluded = seed::target(store, seeded.org.id, "excluded").await;
    let mut expected = vec![seeded.deployment.clone()];
    for (target, offset) in [(&other, -30), (&seeded.target, 30), (&excluded, 0)] {
        let at = seeded.deployment.created_at + chrono::Duration::seconds(offset);
        let (d, r) = DeploymentBuilder::new(target.id, seeded.app.id)
            .created_at(at)
            .build_with_revision(seeded.version.id);
        store.create_deployment(&d, &r).await.unwrap();
        if target.id != excluded.id {
            expected.push(d);
        }
    }
    expected.sort_by_key(|d| (d.created_at, d.id));
    let listed = store
        .list_deployments_of_targets(&[seeded.target.id, other.id])
        .await
        .unwrap();
    assert_eq!(listed, expected);
}

/// `set_logs_enabled` flips the flag without a revision; MUST return `NotFound` for an unknown id.
pub async fn set_logs_enabled_changes_flag_without_new_revision(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    store
        .set_logs_enabled(seeded.deployment.id, true)
        .await
        .unwrap();
    let stored = store
        .find_deployment(seeded.deployment.id)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.logs_enabled);
    assert_eq!(
        store
            .list_revisions(seeded.deployment.id)
            .await
            .unwrap()
            .len(),
        1
    );
    let unknown = DeploymentId::from_uuid(fresh_uuid());
    assert_eq!(
        store.set_logs_enabled(unknown, true).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `delete_deployment` removes revisions, statuses, logs and the last-good payload.
pub async fn delete_deployment_cascades_to_revisions_statuses_logs_and_payload(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (d, r) = (&seeded.deployment, &seeded.revision);
    let (kept, kept_revision) = seed::deployment_on(store, &seeded.target, &seeded.version).await;
    store
        .record_status(
            StatusId::from_uuid(fresh_uuid()),
            r.id,
            StatusType::Healthy,
            "",
            at_seconds(1),
        )
        .await
        .unwrap();
    store
        .insert_deployment_logs(&[
            DeploymentLogBuilder::new(d.id, r.id, "web", at_seconds(1)).build()
        ])
        .await
        .unwrap();
    store
        .put_last_good_payload(&last_good_payload(d.id, r.id, b"sealed"))
        .await
        .unwrap();
    store
        .put_last_good_payload(&last_good_payload(kept.id, kept_revision.id, b"kept"))
        .await
        .unwrap();

    store.delete_deployment(d.id).await.unwrap();

    let page = PageRequest::first(100);
    assert!(store.find_deployment(d.id).await.unwrap().is_none());
    assert!(store.find_revision(r.id).await.unwrap().is_none());
    assert!(store.list_revisions(d.id).await.unwrap().is_empty());
    assert!(store.list_statuses(d.id, page).await.unwrap().is_empty());
    assert!(
        store
            .list_deployment_logs(d.id, "web", page)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.latest_statuses(&[d.id]).await.unwrap().is_empty());
    let payloads = store
        .get_last_good_payloads(&[d.id, kept.id])
        .await
        .unwrap();
    assert_eq!(
        payloads.iter().map(|p| p.deployment_id).collect::<Vec<_>>(),
        vec![kept.id]
    );
    assert!(store.find_target(seeded.target.id).await.unwrap().is_some());
}

/// `delete_deployment` MUST return `NotFound` for an unknown deployment.
pub async fn delete_unknown_deployment_is_not_found(store: &dyn Store) {
    let unknown = DeploymentId::from_uuid(fresh_uuid());
    assert_eq!(
        store.delete_deployment(unknown).await.unwrap_err(),
        StoreError::NotFound
    );
}
