//! Failed fetches change nothing; failing steps are isolated.

use distr_ports::agent::{HubError, Resources};

use super::*;

#[tokio::test(start_paused = true)]
async fn a_failed_or_malformed_answer_uninstalls_nothing_and_reports_nothing() {
    let h = Harness::new();
    let d = docker_deployment(DockerType::Compose);
    h.installed(&d);
    // The good answer no longer lists `d`: only it may trigger the uninstall.
    h.desire(&[]);
    for failure in [
        Err(HubError::Status {
            code: 500,
            text: "Internal Server Error".to_owned(),
            body: String::new(),
        }),
        Err(HubError::Transport("operation timed out".to_owned())),
        Err(HubError::Malformed(
            "deployments[0].id: not a uuid".to_owned(),
        )),
        Ok(Resources::NotModified),
    ] {
        h.hub.push_resources_answer(failure);
        assert_eq!(h.tick().await, None);
        assert!(h.runtime.calls().is_empty());
        assert!(h.hub.statuses().is_empty());
        assert!(h.state.get(d.id).is_some());
    }
    assert_eq!(h.tick().await, Some(TickOutcome::Reconciled));
    assert_eq!(h.state.get(d.id), None);
}

#[tokio::test(start_paused = true)]
async fn one_failing_deployment_gets_an_error_and_the_next_is_still_checked() {
    let h = Harness::new();
    let (bad, good) = (
        docker_deployment(DockerType::Compose),
        docker_deployment(DockerType::Compose),
    );
    h.installed(&good);
    h.running_without_healthcheck(&good);
    h.runtime
        .fail_apply(bad.id, "compose up failed: pull access denied");
    h.desire(&[bad.clone(), good.clone()]);
    h.tick().await;
    assert_eq!(
        h.hub.statuses(),
        vec![
            status(
                &bad,
                StatusType::Error,
                "compose up failed: pull access denied"
            ),
            status(
                &good,
                StatusType::Running,
                "status check results: 1 running (healthchecks missing)"
            ),
        ]
    );
    assert_eq!(h.state.get(bad.id), None, "a failed apply writes no state");
}

#[tokio::test(start_paused = true)]
async fn a_registry_auth_failure_is_posted_and_the_deployment_skipped() {
    let h = Harness::new();
    let d = docker_deployment(DockerType::Compose);
    h.registry
        .fail_for(d.id, "docker login failed for r.example: denied");
    h.desire(std::slice::from_ref(&d));
    h.tick().await;
    assert_eq!(
        h.hub.statuses(),
        vec![status(
            &d,
            StatusType::Error,
            "docker login failed for r.example: denied"
        )]
    );
    assert_eq!(h.runtime.apply_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn without_a_registry_host_no_token_is_fetched() {
    let h = Harness::new();
    let d = docker_deployment(DockerType::Compose);
    h.desire(std::slice::from_ref(&d));
    h.tick().await;
    assert_eq!(h.registry.calls(), vec![(d.id, None)]);
    assert_eq!(h.hub.token_requests(), 0);

    let h = Harness::with(None, "registry.example");
    h.desire(std::slice::from_ref(&d));
    h.registry.set_config_dir(Some("/tmp/x/docker".into()));
    h.tick().await;
    assert_eq!(
        h.registry.calls(),
        vec![(d.id, Some("fake-agent-jwt".to_owned()))]
    );
    assert!(matches!(
        &h.runtime.calls()[0],
        RuntimeCall::Apply { docker_config: Some(dir), .. } if dir.as_os_str() == "/tmp/x/docker"
    ));
}

#[tokio::test(start_paused = true)]
async fn a_deployment_without_docker_type_is_skipped_silently() {
    let h = Harness::new();
    let mut d = docker_deployment(DockerType::Compose);
    d.docker_type = None;
    h.desire(std::slice::from_ref(&d));
    h.tick().await;
    assert!(h.hub.statuses().is_empty());
    assert!(h.runtime.calls().is_empty());
}

#[tokio::test(start_paused = true)]
async fn an_unreadable_state_directory_skips_orphan_removal() {
    let h = Harness::new();
    let gone = docker_deployment(DockerType::Compose);
    h.installed(&gone);
    h.state.set_unreadable(true);
    h.desire(&[]);
    h.tick().await;
    assert!(h.runtime.calls().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_failing_status_check_is_an_error_status() {
    let h = Harness::new();
    let d = docker_deployment(DockerType::Compose);
    h.installed(&d);
    h.engine.set_containers(
        &compose_project_of(d.id),
        Err("engine unreachable".to_owned()),
    );
    h.desire(std::slice::from_ref(&d));
    h.tick().await;
    assert_eq!(
        h.hub.statuses(),
        vec![status(&d, StatusType::Error, "engine unreachable")]
    );
}
