//! [`distr_ports::store::TargetStore`] cases except heartbeats.

use distr_domain::deployment::StatusType;
use distr_domain::ids::{StatusId, TargetId};
use distr_domain::target::{AgentResources, KubernetesScope, TargetSecretHash};
use distr_ports::store::PageRequest;
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{
    DeploymentLogBuilder, MetricsSampleBuilder, TargetBuilder, TargetLogBuilder, at_seconds,
    fresh_uuid, last_good_payload, name,
};

fn resources() -> AgentResources {
    AgentResources {
        cpu_request: "100m".to_owned(),
        memory_request: "128Mi".to_owned(),
        cpu_limit: "1".to_owned(),
        memory_limit: "512Mi".to_owned(),
    }
}

/// A kubernetes target owned by a customer reads back field for field.
pub async fn create_then_get_target_round_trips(store: &dyn Store) {
    let org = seed::organization(store).await;
    let customer = seed::customer(store, org.id, "Customer").await;
    let version = seed::agent_version(store).await;
    let target = TargetBuilder::kubernetes(org.id, "apps", KubernetesScope::Namespace)
        .name("cluster")
        .owned_by(customer.id)
        .agent_version(version.id)
        .metrics_enabled(true)
        .resources(resources())
        .build();
    store.create_target(&target).await.unwrap();
    assert_eq!(store.get_target(org.id, target.id).await.unwrap(), target);
    assert_eq!(store.find_target(target.id).await.unwrap(), Some(target));
}

/// `get_target` MUST return `NotFound` for another organization's target;
/// `find_target` ignores organizations.
pub async fn get_target_of_other_organization_is_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    assert_eq!(
        store.get_target(other.id, target.id).await.unwrap_err(),
        StoreError::NotFound
    );
    let unknown = TargetId::from_uuid(fresh_uuid());
    assert_eq!(
        store.get_target(org.id, unknown).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(store.find_target(unknown).await.unwrap(), None);
    assert_eq!(
        store.find_target(target.id).await.unwrap().map(|t| t.id),
        Some(target.id)
    );
}

/// `list_targets` puts vendor-owned targets first, then groups by customer, each by name.
pub async fn list_targets_puts_vendor_owned_first_then_groups_by_customer(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let c1 = seed::customer(store, org.id, "One").await;
    let c2 = seed::customer(store, org.id, "Two").await;
    let version = seed::agent_version(store).await;
    let specs = [
        ("y", Some(c1.id)),
        ("b", None),
        ("x", Some(c2.id)),
        ("z", Some(c1.id)),
        ("a", None),
        ("w", Some(c2.id)),
    ];
    for (target_name, owner) in specs {
        let mut builder = TargetBuilder::docker(org.id)
            .name(target_name)
            .agent_version(version.id);
        if let Some(owner) = owner {
            builder = builder.owned_by(owner);
        }
        store.create_target(&builder.build()).await.unwrap();
    }
    seed::target(store, other.id, "foreign").await;
    let listed = store.list_targets(org.id, None).await.unwrap();
    let names: Vec<&str> = listed.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(&names[..2], ["a", "b"]);
    let c1_first = listed[2].customer_organization_id == Some(c1.id);
    let expected_rest = if c1_first {
        ["y", "z", "w", "x"]
    } else {
        ["w", "x", "y", "z"]
    };
    assert_eq!(&names[2..], expected_rest);
}

/// `list_targets` with a customer lists only that customer's targets.
pub async fn list_targets_of_customer_returns_only_its_targets(store: &dyn Store) {
    let org = seed::organization(store).await;
    let customer = seed::customer(store, org.id, "Customer").await;
    let version = seed::agent_version(store).await;
    let owned = TargetBuilder::docker(org.id)
        .name("owned")
        .owned_by(customer.id)
        .agent_version(version.id)
        .build();
    store.create_target(&owned).await.unwrap();
    seed::target(store, org.id, "vendor").await;
    assert_eq!(
        store.list_targets(org.id, Some(customer.id)).await.unwrap(),
        vec![owned]
    );
}

/// `update_target` replaces name, metrics flag, resources and desired version only.
pub async fn update_target_replaces_only_mutable_fields(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "before").await;
    let newer = seed::agent_version(store).await;
    let mut changed = target.clone();
    changed.name = name("after");
    changed.metrics_enabled = true;
    changed.resources = Some(resources());
    changed.agent_version_id = newer.id;
    let mut update = changed.clone();
    update.created_at = at_seconds(1);
    update.reported_agent_version_id = Some(newer.id);
    store.update_target(&update).await.unwrap();
    assert_eq!(store.get_target(org.id, target.id).await.unwrap(), changed);
}

/// `update_target` MUST return `NotFound` for another organization's target.
pub async fn update_target_of_other_organization_is_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let target = seed::target(store, org.id, "mine").await;
    let mut hijack = target.clone();
    hijack.organization_id = other.id;
    hijack.name = name("hijacked");
    assert_eq!(
        store.update_target(&hijack).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        store.get_target(org.id, target.id).await.unwrap().name,
        name("mine")
    );
}

/// `delete_target` MUST return `NotFound` for another organization's target, deleting nothing.
pub async fn delete_target_of_other_organization_is_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    assert_eq!(
        store.delete_target(other.id, target.id).await.unwrap_err(),
        StoreError::NotFound
    );
    assert!(store.find_target(target.id).await.unwrap().is_some());
    let unknown = TargetId::from_uuid(fresh_uuid());
    assert_eq!(
        store.delete_target(org.id, unknown).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `delete_target` cascades to deployments, revisions, statuses, logs, metrics and payloads.
pub async fn delete_target_cascades_to_everything_it_owns(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (target, deployment, revision) = (&seeded.target, &seeded.deployment, &seeded.revision);
    let survivor = seed::target(store, seeded.org.id, "survivor").await;
    let (kept, _) = seed::deployment_on(store, &survivor, &seeded.version).await;
    store
        .record_status(
            StatusId::from_uuid(fresh_uuid()),
            revision.id,
            StatusType::Running,
            "ok",
            at_seconds(1),
        )
        .await
        .unwrap();
    let log = DeploymentLogBuilder::new(deployment.id, revision.id, "web", at_seconds(1)).build();
    store.insert_deployment_logs(&[log]).await.unwrap();
    store
        .insert_target_logs(&[TargetLogBuilder::new(target.id, at_seconds(1)).build()])
        .await
        .unwrap();
    store
        .insert_metrics(&MetricsSampleBuilder::new(target.id, at_seconds(1)).build())
        .await
        .unwrap();
    store
        .record_heartbeat(target.id, at_seconds(1), "OK")
        .await
        .unwrap();
    store
        .put_last_good_payload(&last_good_payload(deployment.id, revision.id, b"sealed"))
        .await
        .unwrap();

    store.delete_target(seeded.org.id, target.id).await.unwrap();

    let page = PageRequest::first(100);
    assert!(store.find_target(target.id).await.unwrap().is_none());
    assert!(
        store
            .find_deployment(deployment.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.find_revision(revision.id).await.unwrap().is_none());
    assert!(
        store
            .list_statuses(deployment.id, page)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .list_deployment_logs(deployment.id, "web", page)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .list_target_logs(target.id, page)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.latest_metrics(&[target.id]).await.unwrap().is_empty());
    assert!(
        store
            .get_last_good_payloads(&[deployment.id])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .list_deployments_of_targets(&[target.id])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.find_target(survivor.id).await.unwrap().is_some());
    assert!(store.find_deployment(kept.id).await.unwrap().is_some());
}

/// `set_target_secret` replaces salt and hash; MUST return `NotFound` for an unknown id.
pub async fn set_target_secret_replaces_salt_and_hash(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    let first = TargetSecretHash {
        salt: vec![1; 16],
        hash: vec![2; 32],
    };
    let second = TargetSecretHash {
        salt: vec![3; 16],
        hash: vec![4; 32],
    };
    store.set_target_secret(target.id, &first).await.unwrap();
    store.set_target_secret(target.id, &second).await.unwrap();
    assert_eq!(
        store.get_target(org.id, target.id).await.unwrap().secret,
        Some(second.clone())
    );
    let unknown = TargetId::from_uuid(fresh_uuid());
    assert_eq!(
        store.set_target_secret(unknown, &second).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `set_reported_agent_version` sets it; an unknown target MUST be ignored.
pub async fn set_reported_agent_version_sets_it_and_ignores_unknown_target(store: &dyn Store) {
    let org = seed::organization(store).await;
    let target = seed::target(store, org.id, "t").await;
    let reported = seed::agent_version(store).await;
    store
        .set_reported_agent_version(target.id, reported.id)
        .await
        .unwrap();
    let stored = store.get_target(org.id, target.id).await.unwrap();
    assert_eq!(stored.reported_agent_version_id, Some(reported.id));
    assert_eq!(stored.agent_version_id, target.agent_version_id);
    store
        .set_reported_agent_version(TargetId::from_uuid(fresh_uuid()), reported.id)
        .await
        .unwrap();
}
