use bollard::models::{ContainerInspectResponse, ContainerSummary};

use super::*;

fn list(raw: &str) -> Vec<ContainerSummary> {
    serde_json::from_str(raw).unwrap()
}

fn by_name<'a>(states: &'a [ContainerState], name: &str) -> &'a ContainerState {
    states.iter().find(|s| s.name == name).unwrap()
}

fn mapped(raw: &str) -> Vec<ContainerState> {
    list(raw).iter().map(|c| container_state(c, None)).collect()
}

#[test]
fn recorded_engine_list_maps_names_states_and_health_from_status_text() {
    let states = mapped(include_str!("../../fixtures/containers-list.json"));
    assert_eq!(states.len(), 4);
    let web = by_name(&states, "proj-web-1");
    assert_eq!(
        (web.state.as_str(), web.health.as_str(), web.exit_code),
        ("running", "healthy", 0)
    );
    assert!(web.status.starts_with("Up "), "{}", web.status);
    let sick = by_name(&states, "proj-sick-1");
    assert_eq!(sick.health, "unhealthy");
    let plain = by_name(&states, "proj-plain-1");
    assert_eq!(
        (plain.state.as_str(), plain.health.as_str()),
        ("running", "")
    );
}

#[test]
fn recorded_exited_container_carries_its_exit_code_from_the_status_text() {
    let states = mapped(include_str!("../../fixtures/containers-list.json"));
    let job = by_name(&states, "proj-job-1");
    assert_eq!((job.state.as_str(), job.exit_code), ("exited", 3));
    assert!(job.status.starts_with("Exited (3)"));
}

#[test]
fn container_with_healthcheck_in_its_first_seconds_is_starting() {
    let states = mapped(include_str!("../../fixtures/containers-list-starting.json"));
    assert_eq!(by_name(&states, "proj-sick-1").health, "starting");
}

#[test]
fn inspect_answer_overrides_the_exit_code_parsed_from_text() {
    let summaries = list(include_str!("../../fixtures/containers-list.json"));
    let job = summaries
        .iter()
        .find(|c| container_name(c) == "proj-job-1")
        .unwrap();
    assert!(needs_inspect(job));
    let mut inspect: ContainerInspectResponse =
        serde_json::from_str(include_str!("../../fixtures/container-inspect-exited.json")).unwrap();
    inspect.state.as_mut().unwrap().exit_code = Some(137);
    assert_eq!(container_state(job, Some(&inspect)).exit_code, 137);
}

#[test]
fn running_containers_need_no_inspect() {
    let summaries = list(include_str!("../../fixtures/containers-list.json"));
    let running = summaries.iter().filter(|c| !needs_inspect(c)).count();
    assert_eq!(running, 3);
}

#[test]
fn list_health_field_of_newer_engines_is_used_when_present() {
    let summary: ContainerSummary = serde_json::from_value(serde_json::json!({
        "Names": ["/p-web-1"], "State": "running", "Status": "Up 1 second",
        "Health": {"Status": "healthy", "FailingStreak": 0}
    }))
    .unwrap();
    assert_eq!(container_state(&summary, None).health, "healthy");
}

#[test]
fn status_texts_without_health_or_exit_code_give_neither() {
    assert_eq!(health_from_status("Up 3 minutes"), "");
    assert_eq!(health_from_status("Restarting (1) 2 seconds ago"), "");
    assert_eq!(exit_code_from_status("Up 3 minutes"), None);
    assert_eq!(exit_code_from_status("Exited (x) 1 second ago"), None);
    assert_eq!(exit_code_from_status("Exited (-1) now"), Some(-1));
}

#[test]
fn container_without_names_falls_back_to_its_id() {
    let summary: ContainerSummary =
        serde_json::from_value(serde_json::json!({"Id": "abc", "State": "created"})).unwrap();
    let state = container_state(&summary, None);
    assert_eq!(
        (state.name.as_str(), state.state.as_str()),
        ("abc", "created")
    );
}

#[test]
fn compose_run_one_offs_are_recognised_by_label() {
    let one_off: ContainerSummary = serde_json::from_value(serde_json::json!({
        "Names": ["/p-web-run-1a2b"], "State": "exited",
        "Labels": {"com.docker.compose.project": "p", "com.docker.compose.oneoff": "True"}
    }))
    .unwrap();
    assert!(is_one_off(&one_off));
    let service = list(include_str!("../../fixtures/containers-list.json"));
    assert!(service.iter().all(|c| !is_one_off(c)));
}
