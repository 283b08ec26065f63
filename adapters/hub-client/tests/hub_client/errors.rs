//! Failures: every one is an error, so the agent changes nothing (AP §11h, §12 item 61).

use std::time::Duration;

use distr_hub_client::HubClient;
use distr_ports::agent::{HubApi, HubError};

use crate::fake_hub::{FakeHub, LOGS, MANIFEST, RESOURCES, Scripted};

async fn resources_error(answer: Scripted) -> HubError {
    let hub = FakeHub::start().await;
    hub.script(RESOURCES, [answer]);
    let client = HubClient::new(hub.config()).unwrap();
    client.resources(None, None).await.unwrap_err()
}

fn deployment_body(deployment: &str) -> String {
    format!(
        r#"{{"version":{{"id":"00000000-0000-0000-0000-0000000000aa"}},"deployments":[{deployment}]}}"#
    )
}

#[tokio::test]
async fn a_500_is_a_status_error_with_the_trimmed_body() {
    let err = resources_error(Scripted::status(500, "  database is down \n")).await;
    assert_eq!(
        err.to_string(),
        "non-ok http status: 500 Internal Server Error (database is down)"
    );
    assert_eq!(
        err,
        HubError::Status {
            code: 500,
            text: "Internal Server Error".to_owned(),
            body: "database is down".to_owned()
        }
    );
}

#[tokio::test]
async fn invalid_json_is_malformed() {
    let err = resources_error(Scripted::status(200, "{\"version\":")).await;
    assert!(matches!(err, HubError::Malformed(_)), "{err:?}");
    let err = resources_error(Scripted::status(200, "")).await;
    assert!(matches!(err, HubError::Malformed(_)), "{err:?}");
}

#[tokio::test]
async fn a_deployment_with_a_non_uuid_id_is_malformed() {
    let body =
        deployment_body(r#"{"id":"web","revisionId":"00000000-0000-0000-0000-0000000000e1"}"#);
    let err = resources_error(Scripted::status(200, &body)).await;
    assert!(matches!(err, HubError::Malformed(_)), "{err:?}");
}

#[tokio::test]
async fn a_deployment_without_a_revision_id_is_malformed() {
    let body = deployment_body(r#"{"id":"00000000-0000-0000-0000-0000000000d1"}"#);
    let err = resources_error(Scripted::status(200, &body)).await;
    assert!(matches!(err, HubError::Malformed(_)), "{err:?}");
}

#[tokio::test]
async fn a_compose_file_that_is_not_base64_is_malformed() {
    let body = deployment_body(
        r#"{"id":"00000000-0000-0000-0000-0000000000d1","revisionId":"00000000-0000-0000-0000-0000000000e1","composeFile":"not base64!"}"#,
    );
    let err = resources_error(Scripted::status(200, &body)).await;
    assert!(matches!(err, HubError::Malformed(_)), "{err:?}");
}

#[tokio::test]
async fn a_redirect_status_that_was_not_asked_for_is_an_error() {
    let err = resources_error(Scripted::status(302, "")).await;
    assert!(matches!(err, HubError::Status { code: 302, .. }), "{err:?}");
}

#[tokio::test]
async fn a_slow_hub_is_a_transport_error() {
    let hub = FakeHub::start().await;
    hub.script(
        RESOURCES,
        [Scripted::status(200, "{}").delayed(Duration::from_secs(3))],
    );
    let mut config = hub.config();
    config.request_timeout = Duration::from_millis(300);
    let client = HubClient::new(config).unwrap();
    client.token().await.unwrap();
    let err = client.resources(None, None).await.unwrap_err();
    assert!(matches!(err, HubError::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn an_unreachable_hub_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let hub = FakeHub::start().await;
    let mut config = hub.config();
    config.login_endpoint = format!("{base}/api/v1/agent/login");
    let client = HubClient::new(config).unwrap();
    let err = client.resources(None, None).await.unwrap_err();
    assert!(matches!(err, HubError::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_rejected_log_batch_is_a_status_error() {
    let hub = FakeHub::start().await;
    hub.script(
        LOGS,
        [
            Scripted::status(400, r#"{"status":400,"detail":"not found"}"#)
                .with_header("content-type", "application/problem+json"),
        ],
    );
    let client = HubClient::new(hub.config()).unwrap();
    let err = client.put_logs(&[]).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"non-ok http status: 400 Bad Request ({"status":400,"detail":"not found"})"#
    );
    assert_eq!(hub.requests_to(LOGS)[0].body, b"[]");
}

#[tokio::test]
async fn the_manifest_is_returned_as_text() {
    let hub = FakeHub::start().await;
    let client = HubClient::new(hub.config()).unwrap();
    assert_eq!(client.manifest().await.unwrap(), "name: distr\n");
    assert_eq!(hub.requests_to(MANIFEST)[0].method, "GET");
    hub.script(MANIFEST, [Scripted::status(500, "")]);
    assert!(matches!(
        client.manifest().await,
        Err(HubError::Status { code: 500, .. })
    ));
}
