//! Install, check, upgrade, restart and undeploy.

use super::*;

#[tokio::test(start_paused = true)]
async fn a_new_revision_is_applied_and_reported_with_the_cli_output_then_checked() {
    let h = Harness::new();
    let d = docker_deployment(DockerType::Compose);
    h.desire(std::slice::from_ref(&d));
    h.runtime.set_output("Container distr-1-web-1 Started");
    h.running_without_healthcheck(&d);

    assert_eq!(h.tick().await, Some(TickOutcome::Reconciled));
    assert_eq!(
        h.hub.statuses(),
        vec![status(
            &d,
            StatusType::Progressing,
            "Container distr-1-web-1 Started"
        )]
    );
    assert_eq!(h.state.get(d.id), Some(record_after_apply(&d).unwrap()));

    h.hub.clear_statuses();
    h.tick().await;
    assert_eq!(
        h.hub.statuses(),
        vec![status(
            &d,
            StatusType::Running,
            "status check results: 1 running (healthchecks missing)"
        )]
    );
    assert_eq!(h.runtime.apply_count(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_unchanged_revision_is_never_reapplied_on_idle_ticks() {
    let h = Harness::new();
    let d = docker_deployment(DockerType::Compose);
    h.desire(std::slice::from_ref(&d));
    for _ in 0..5 {
        h.tick().await;
    }
    assert_eq!(h.runtime.apply_count(), 1);
    assert_eq!(h.hub.statuses().len(), 5);

    let upgraded = next_revision(&d);
    h.desire(std::slice::from_ref(&upgraded));
    h.tick().await;
    assert_eq!(h.runtime.apply_count(), 2);
    assert_eq!(
        h.state.get(d.id).map(|r| r.revision_id),
        Some(upgraded.revision_id)
    );
}

#[tokio::test(start_paused = true)]
async fn a_deployment_missing_from_a_good_answer_is_uninstalled_and_forgotten() {
    let h = Harness::new();
    let (kept, gone) = (
        docker_deployment(DockerType::Compose),
        docker_deployment(DockerType::Swarm),
    );
    h.installed(&kept);
    h.installed(&gone);
    h.desire(std::slice::from_ref(&kept));
    h.tick().await;
    assert_eq!(
        h.runtime.calls(),
        vec![RuntimeCall::Uninstall {
            deployment: gone.id,
            project: compose_project_of(gone.id)
        }]
    );
    assert_eq!(h.state.get(gone.id), None);
    assert!(h.state.get(kept.id).is_some());
    assert!(
        h.hub
            .statuses()
            .iter()
            .all(|s| s.revision != gone.revision_id)
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_uninstall_keeps_the_state_and_is_retried_next_tick() {
    let h = Harness::new();
    let gone = docker_deployment(DockerType::Compose);
    h.installed(&gone);
    h.desire(&[]);
    h.runtime.fail_uninstall(gone.id, true);
    h.tick().await;
    assert!(h.state.get(gone.id).is_some());
    h.runtime.fail_uninstall(gone.id, false);
    h.tick().await;
    assert_eq!(h.state.get(gone.id), None);
    assert_eq!(h.runtime.calls().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn force_restart_restarts_after_the_first_install() {
    let h = Harness::new();
    let mut d = docker_deployment(DockerType::Compose);
    d.force_restart = true;
    h.desire(std::slice::from_ref(&d));
    h.tick().await;
    let calls = h.runtime.calls();
    assert_eq!(calls.len(), 2);
    assert!(matches!(calls[0], RuntimeCall::Apply { .. }));
    assert_eq!(
        calls[1],
        RuntimeCall::Restart {
            deployment: d.id,
            project: compose_project_of(d.id)
        }
    );
    assert_eq!(h.hub.statuses()[0].status, StatusType::Progressing);
}

#[tokio::test(start_paused = true)]
async fn a_slow_apply_posts_progress_every_interval() {
    let h = Harness::new();
    let d = docker_deployment(DockerType::Compose);
    h.desire(std::slice::from_ref(&d));
    h.runtime.set_apply_delay(INTERVAL * 3 + INTERVAL / 2);
    h.tick().await;
    let statuses = h.hub.statuses();
    let progress = status(
        &d,
        StatusType::Progressing,
        "applying docker compose\u{2026}",
    );
    assert_eq!(
        statuses[..3],
        [progress.clone(), progress.clone(), progress]
    );
    assert_eq!(
        statuses[3],
        status(&d, StatusType::Progressing, "Container started")
    );
    assert_eq!(statuses.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_swarm_deployment_is_checked_through_its_stack_services() {
    let h = Harness::new();
    let d = docker_deployment(DockerType::Swarm);
    h.installed(&d);
    h.desire(std::slice::from_ref(&d));
    h.engine.set_services(
        &compose_project_of(d.id),
        Ok(vec![ServiceState {
            name: "web".to_owned(),
            is_job: false,
            running: 0,
            desired: 2,
        }]),
    );
    h.tick().await;
    assert_eq!(
        h.hub.statuses(),
        vec![status(
            &d,
            StatusType::Error,
            "service web is not running: running=0, desired=2"
        )]
    );
    assert_eq!(h.runtime.apply_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn metrics_run_only_while_enabled() {
    let h = Harness::new();
    let mut desired = h.desire(&[]);
    desired.metrics_enabled = true;
    h.hub.set_resource(desired.clone());
    h.tick().await;
    assert!(h.reconciler.metrics_running());
    tokio::time::sleep(Duration::from_millis(650)).await;
    assert_eq!(h.hub.metrics().len(), 2);
    desired.metrics_enabled = false;
    h.hub.set_resource(desired);
    h.tick().await;
    assert!(!h.reconciler.metrics_running());
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(h.hub.metrics().len(), 2);
}
