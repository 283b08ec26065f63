//! [`distr_ports::store::DeploymentStore::create_target_with_deployment`]
//! cases: the wizard's new target and its deployment, all or nothing (HS §4.5).

use distr_domain::application::ApplicationVersion;
use distr_domain::deployment::{Deployment, DeploymentRevision};
use distr_domain::ids::OrganizationId;
use distr_domain::target::DeploymentTarget;
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{DeploymentBuilder, RevisionBuilder, TargetBuilder};

/// A new (unstored) docker target of `org` with a stored agent version, and a
/// deployment of `version` on it with its first revision.
async fn planned(
    store: &dyn Store,
    org: OrganizationId,
    version: &ApplicationVersion,
) -> (DeploymentTarget, Deployment, DeploymentRevision) {
    let agent = seed::agent_version(store).await;
    let target = TargetBuilder::docker(org)
        .name("wizard")
        .agent_version(agent.id)
        .build();
    let (deployment, revision) =
        DeploymentBuilder::new(target.id, version.application_id).build_with_revision(version.id);
    (target, deployment, revision)
}

/// Asserts that neither `target` nor `deployment` (nor its revision) is stored.
async fn assert_none_stored(
    store: &dyn Store,
    target: &DeploymentTarget,
    deployment: &Deployment,
    revision: &DeploymentRevision,
) {
    assert_eq!(store.find_target(target.id).await.unwrap(), None);
    assert_eq!(
        store.get_target(target.organization_id, target.id).await,
        Err(StoreError::NotFound)
    );
    assert!(
        store
            .list_deployments_of_targets(&[target.id])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.find_revision(revision.id).await.unwrap(), None);
    if let Some(stored) = store.find_deployment(deployment.id).await.unwrap() {
        assert_ne!(stored.deployment_target_id, target.id);
    }
}

/// `create_target_with_deployment` stores the target, the deployment and its
/// first revision, each readable as written.
pub async fn create_target_with_deployment_stores_all_three(store: &dyn Store) {
    let org = seed::organization(store).await;
    let (_, version) = seed::docker_app(store, org.id).await;
    let (target, deployment, revision) = planned(store, org.id, &version).await;
    store
        .create_target_with_deployment(&target, &deployment, &revision)
        .await
        .unwrap();
    assert_eq!(store.get_target(org.id, target.id).await.unwrap(), target);
    assert_eq!(
        store
            .list_deployments_of_targets(&[target.id])
            .await
            .unwrap(),
        vec![deployment.clone()]
    );
    assert_eq!(
        store.find_revision(revision.id).await.unwrap(),
        Some(revision.clone())
    );
    assert_eq!(
        store.current_revisions(&[deployment.id]).await.unwrap(),
        vec![revision.clone()]
    );
    assert_eq!(
        store.list_revisions(deployment.id).await.unwrap(),
        vec![revision]
    );
}

/// A failing deployment insert (a taken deployment id) MUST return the error
/// `create_deployment` gives and store neither the target nor the deployment.
pub async fn create_target_with_deployment_with_taken_deployment_id_stores_nothing(
    store: &dyn Store,
) {
    let seeded = seed::deployment(store).await;
    let (target, mut deployment, _) = planned(store, seeded.org.id, &seeded.version).await;
    deployment.id = seeded.deployment.id;
    let revision = RevisionBuilder::new(deployment.id, seeded.version.id).build();
    let err = store
        .create_target_with_deployment(&target, &deployment, &revision)
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::Conflict("deployment id".to_owned()));
    assert_none_stored(store, &target, &deployment, &revision).await;
    assert_eq!(
        store.find_deployment(seeded.deployment.id).await.unwrap(),
        Some(seeded.deployment),
        "the existing deployment is untouched"
    );
}

/// A failing target insert (a taken target id) MUST return a `Conflict` and
/// store no deployment.
pub async fn create_target_with_deployment_with_taken_target_id_stores_nothing(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let (mut target, _, _) = planned(store, seeded.org.id, &seeded.version).await;
    target.id = seeded.target.id;
    let (deployment, revision) =
        DeploymentBuilder::new(target.id, seeded.app.id).build_with_revision(seeded.version.id);
    let err = store
        .create_target_with_deployment(&target, &deployment, &revision)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.find_deployment(deployment.id).await.unwrap(), None);
    assert_eq!(store.find_revision(revision.id).await.unwrap(), None);
    assert_eq!(
        store
            .get_target(seeded.org.id, seeded.target.id)
            .await
            .unwrap(),
        seeded.target,
        "the existing target is untouched"
    );
}
