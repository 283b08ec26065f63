use bollard::models::Service;

use super::*;

fn mapped(raw: &str) -> Vec<ServiceState> {
    let services: Vec<Service> = serde_json::from_str(raw).unwrap();
    services.iter().map(service_state).collect()
}

fn by_name<'a>(states: &'a [ServiceState], name: &str) -> &'a ServiceState {
    states.iter().find(|s| s.name == name).unwrap()
}

#[test]
fn recorded_services_with_status_carry_running_and_desired_counts() {
    let states = mapped(include_str!("../../fixtures/services-with-status.json"));
    assert_eq!(states.len(), 3);
    assert_eq!(
        by_name(&states, "proj_web"),
        &ServiceState {
            name: "proj_web".into(),
            is_job: false,
            running: 2,
            desired: 2
        }
    );
    assert_eq!(
        by_name(&states, "proj_glob"),
        &ServiceState {
            name: "proj_glob".into(),
            is_job: false,
            running: 1,
            desired: 1
        }
    );
}

#[test]
fn replicated_job_services_are_marked_as_jobs() {
    let states = mapped(include_str!("../../fixtures/services-with-status.json"));
    let once = by_name(&states, "proj_once");
    assert!(once.is_job);
    assert_eq!((once.running, once.desired), (0, 1));
}

#[test]
fn global_job_services_are_marked_as_jobs() {
    let service: Service = serde_json::from_value(serde_json::json!({
        "ID": "x", "Spec": {"Name": "p_migrate", "Mode": {"GlobalJob": {}}}
    }))
    .unwrap();
    assert!(service_state(&service).is_job);
}

#[test]
fn services_listed_without_status_have_zero_counts() {
    let states = mapped(include_str!("../../fixtures/services-without-status.json"));
    assert!(states.iter().all(|s| s.running == 0 && s.desired == 0));
}

#[test]
fn service_without_spec_is_named_by_its_id() {
    let service: Service = serde_json::from_value(serde_json::json!({"ID": "abc"})).unwrap();
    let state = service_state(&service);
    assert_eq!((state.name.as_str(), state.is_job), ("abc", false));
}
