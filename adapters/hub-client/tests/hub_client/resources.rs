//! Desired-state requests: conditional headers, long-poll and 304 (AP §6.4, §11j).

use std::time::Duration;

use distr_hub_client::HubClient;
use distr_ports::agent::{HubApi, HubError, Resources};

use crate::fake_hub::{FakeHub, RESOURCES, Scripted};

#[tokio::test]
async fn a_plain_request_sends_neither_if_none_match_nor_wait() {
    let hub = FakeHub::start().await;
    let client = HubClient::new(hub.config()).unwrap();
    let Resources::Fresh { resource, etag } = client.resources(None, None).await.unwrap() else {
        panic!("expected a fresh body");
    };
    assert_eq!(etag.as_deref(), Some("\"e1\""));
    assert!(resource.metrics_enabled);
    assert_eq!(resource.deployments.len(), 1);
    assert_eq!(
        resource.deployments[0].compose_file.as_deref(),
        Some(b"name: distr-00000000\n".as_slice())
    );
    let request = &hub.requests_to(RESOURCES)[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.query, None);
    assert_eq!(request.header("if-none-match"), None);
}

#[tokio::test]
async fn if_none_match_and_wait_are_sent_when_given_and_a_304_is_not_modified() {
    let hub = FakeHub::start().await;
    hub.script(
        RESOURCES,
        [Scripted::status(304, "").with_header("etag", "\"e1\"")],
    );
    let client = HubClient::new(hub.config()).unwrap();
    let answer = client
        .resources(Some("\"e1\""), Some(Duration::from_secs(30)))
        .await
        .unwrap();
    assert!(matches!(answer, Resources::NotModified), "{answer:?}");
    let request = &hub.requests_to(RESOURCES)[0];
    assert_eq!(request.header("if-none-match").as_deref(), Some("\"e1\""));
    assert_eq!(request.query.as_deref(), Some("wait=30"));
}

#[tokio::test]
async fn if_none_match_alone_sends_no_wait() {
    let hub = FakeHub::start().await;
    let client = HubClient::new(hub.config()).unwrap();
    let answer = client.resources(Some("\"old\""), None).await.unwrap();
    assert!(matches!(answer, Resources::Fresh { .. }), "{answer:?}");
    let request = &hub.requests_to(RESOURCES)[0];
    assert_eq!(request.header("if-none-match").as_deref(), Some("\"old\""));
    assert_eq!(request.query, None);
}

#[tokio::test]
async fn a_304_that_was_not_asked_for_is_malformed() {
    let hub = FakeHub::start().await;
    hub.script(RESOURCES, [Scripted::status(304, "")]);
    let client = HubClient::new(hub.config()).unwrap();
    let err = client.resources(None, None).await.unwrap_err();
    assert!(matches!(err, HubError::Malformed(_)), "{err:?}");
}

#[tokio::test]
async fn a_long_poll_gets_its_wait_on_top_of_the_request_timeout() {
    let hub = FakeHub::start().await;
    hub.script(
        RESOURCES,
        [Scripted::status(304, "").delayed(Duration::from_millis(900))],
    );
    let mut config = hub.config();
    config.request_timeout = Duration::from_millis(500);
    let client = HubClient::new(config).unwrap();
    // Log in first so only the held request counts against the timeout.
    client.token().await.unwrap();
    let answer = client
        .resources(Some("\"e1\""), Some(Duration::from_secs(1)))
        .await
        .unwrap();
    assert!(matches!(answer, Resources::NotModified), "{answer:?}");
}

#[tokio::test]
async fn a_body_without_etag_is_fresh_without_etag() {
    let hub = FakeHub::start().await;
    hub.script(
        RESOURCES,
        [Scripted::status(
            200,
            r#"{"version":{"id":"00000000-0000-0000-0000-0000000000aa"},"unknown":[1]}"#,
        )
        .with_header("content-type", "text/plain")],
    );
    let client = HubClient::new(hub.config()).unwrap();
    let Resources::Fresh { resource, etag } = client.resources(None, None).await.unwrap() else {
        panic!("expected a fresh body");
    };
    assert_eq!(etag, None);
    assert!(resource.deployments.is_empty());
    assert!(!resource.metrics_enabled);
}
