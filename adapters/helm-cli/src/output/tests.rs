use super::*;

const STATUS: &str = include_str!("../../tests/fixtures/status-upgraded.json");
const HISTORY_LATEST: &str = include_str!("../../tests/fixtures/history-rolled-back.json");
const HISTORY_FULL: &str = include_str!("../../tests/fixtures/history-full.json");

#[test]
fn status_json_gives_the_revision_and_state() {
    let status = parse_status(STATUS).unwrap();
    assert_eq!(status.name, "web");
    assert_eq!(status.version, 3);
    assert_eq!(status.namespace, "apps");
    assert_eq!(status.info.status, "deployed");
    assert_eq!(status.info.description, "Upgrade complete");
}

#[test]
fn status_json_after_a_warning_line_is_still_read() {
    let text = format!(
        "WARNING: Kubernetes configuration file is group-readable. This is insecure.\n{STATUS}"
    );
    assert_eq!(parse_status(&text).unwrap().version, 3);
}

#[test]
fn an_unreadable_status_names_the_problem_but_not_the_output() {
    let err = parse_status("{\"name\":\"web\",\"config\":{\"password\":\"s3cr3t\"}}").unwrap_err();
    assert!(err.starts_with("unreadable helm release JSON"), "{err}");
    assert!(!err.contains("s3cr3t"));
}

#[test]
fn history_gives_the_latest_revision_after_a_rollback() {
    assert_eq!(parse_latest_revision(HISTORY_LATEST).unwrap(), Some(4));
    assert_eq!(parse_latest_revision(HISTORY_FULL).unwrap(), Some(4));
    assert_eq!(parse_latest_revision("[]").unwrap(), None);
    assert!(parse_latest_revision("Error: nope").is_err());
}

#[test]
fn not_found_is_recognised_in_helm_errors() {
    assert!(is_release_not_found("Error: release: not found\n"));
    assert!(is_release_not_found(
        "Error: uninstall: Release not loaded: web: release: not found"
    ));
    assert!(!is_release_not_found(
        "Error: Kubernetes cluster unreachable: connection refused"
    ));
}
