use bollard::{API_DEFAULT_VERSION, Docker};

use super::*;

/// A path that exists (bollard checks that) but where nothing listens.
fn unreachable_engine() -> (tempfile::TempDir, BollardEngine) {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("docker.sock");
    std::fs::write(&socket, b"").unwrap();
    let docker =
        Docker::connect_with_unix(socket.to_str().unwrap(), 5, API_DEFAULT_VERSION).unwrap();
    (dir, BollardEngine::with_client(docker))
}

#[tokio::test]
async fn unreachable_engine_is_an_error_naming_the_negotiation() {
    let (_dir, engine) = unreachable_engine();
    let error = engine.project_containers("p").await.unwrap_err();
    assert!(
        error
            .0
            .starts_with("cannot negotiate the docker API version"),
        "{error}"
    );
}

#[tokio::test]
async fn failed_negotiation_is_retried_on_the_next_call() {
    let (_dir, engine) = unreachable_engine();
    assert!(engine.stack_services("p").await.is_err());
    assert!(engine.negotiated.get().is_none());
}

#[test]
fn label_filters_select_by_label_equals_value() {
    let filter = label_filter(COMPOSE_PROJECT_LABEL, "distr-1a2b");
    assert_eq!(filter["label"], ["com.docker.compose.project=distr-1a2b"]);
}

#[test]
fn log_requests_ask_for_both_streams_with_timestamps_and_no_follow() {
    let since = DateTime::from_timestamp(1_795_718_880, 500_000_000).unwrap();
    let options = logs_options(since);
    assert!(options.stdout && options.stderr && options.timestamps && !options.follow);
    assert_eq!(options.since, 1_795_718_880);
    assert_eq!(options.tail, "all");
}
