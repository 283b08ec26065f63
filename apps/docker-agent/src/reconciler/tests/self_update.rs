//! Self-update (AP §7.1 step 2, §7.10).

use super::*;

#[tokio::test(start_paused = true)]
async fn an_equal_version_id_triggers_no_update() {
    let own = AgentVersionId::from_uuid(uuid::Uuid::new_v4());
    let h = Harness::with(Some(own), "");
    h.hub.set_manifest(Ok("name: distr\n".to_owned()));
    h.desire(&[docker_deployment(DockerType::Compose)]);
    assert_eq!(h.tick().await, Some(TickOutcome::Reconciled));
    assert!(h.updater.manifests().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_different_version_id_updates_and_ends_the_tick() {
    let h = Harness::with(Some(AgentVersionId::from_uuid(uuid::Uuid::new_v4())), "");
    let mut desired = agent_resource(
        AgentVersionId::from_uuid(uuid::Uuid::new_v4()),
        vec![docker_deployment(DockerType::Compose)],
    );
    desired.metrics_enabled = true;
    h.hub.set_resource(desired);
    h.hub
        .set_manifest(Ok("name: distr\nservices: {}\n".to_owned()));
    assert_eq!(h.tick().await, Some(TickOutcome::SelfUpdated));
    assert_eq!(
        h.updater.manifests(),
        vec!["name: distr\nservices: {}\n".to_owned()]
    );
    assert!(h.runtime.calls().is_empty());
    assert!(h.hub.statuses().is_empty());
    assert!(!h.reconciler.metrics_running());
}

#[tokio::test(start_paused = true)]
async fn a_failed_update_reports_on_the_first_deployment_and_continues() {
    let h = Harness::with(Some(AgentVersionId::from_uuid(uuid::Uuid::new_v4())), "");
    let (first, second) = (
        docker_deployment(DockerType::Compose),
        docker_deployment(DockerType::Compose),
    );
    h.hub.set_resource(agent_resource(
        AgentVersionId::from_uuid(uuid::Uuid::new_v4()),
        vec![first.clone(), second.clone()],
    ));
    h.hub.set_manifest(Ok("name: distr\n".to_owned()));
    h.updater.fail_with("services is not an object");
    assert_eq!(h.tick().await, Some(TickOutcome::Reconciled));
    let statuses = h.hub.statuses();
    assert_eq!(
        statuses[0],
        status(&first, StatusType::Error, "services is not an object")
    );
    assert_eq!(statuses.len(), 3);
    assert_eq!(h.runtime.apply_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_started_update_is_not_started_again_while_the_helper_takes_over() {
    let h = Harness::with(Some(AgentVersionId::from_uuid(uuid::Uuid::new_v4())), "");
    h.hub.set_resource(agent_resource(
        AgentVersionId::from_uuid(uuid::Uuid::new_v4()),
        vec![docker_deployment(DockerType::Compose)],
    ));
    h.hub.set_manifest(Ok("name: distr\n".to_owned()));
    assert_eq!(h.tick().await, Some(TickOutcome::SelfUpdated));
    assert_eq!(h.tick().await, Some(TickOutcome::SelfUpdated));
    assert_eq!(h.updater.manifests().len(), 1, "one helper per version");
    assert!(h.runtime.calls().is_empty());

    tokio::time::advance(crate::reconciler::SELF_UPDATE_GRACE).await;
    assert_eq!(h.tick().await, Some(TickOutcome::SelfUpdated));
    assert_eq!(
        h.updater.manifests().len(),
        2,
        "retried after the grace period"
    );
}
