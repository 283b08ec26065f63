//! User-Agent, login and token handling (AP §6.2, §6.3; §12 items 57-59).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{TimeZone as _, Utc};
use distr_domain::deployment::StatusType;
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_domain::protocol::{LogRecordInput, MetricsReport, TargetLogInput};
use distr_hub_client::HubClient;
use distr_ports::agent::{HubApi, HubError};

use crate::fake_hub::{
    AGENT_LOGS, FakeHub, LOGIN, LOGS, METRICS, STATUS, Scripted, TARGET_ID, TARGET_SECRET,
};

fn revision() -> RevisionId {
    "00000000-0000-0000-0000-0000000000e1".parse().unwrap()
}

async fn client(hub: &FakeHub) -> HubClient {
    HubClient::new(hub.config()).unwrap()
}

#[tokio::test]
async fn every_request_carries_exactly_the_agent_user_agent_and_the_right_credentials() {
    let hub = FakeHub::start().await;
    let client = client(&hub).await;
    client.resources(None, None).await.unwrap();
    client.manifest().await.unwrap();
    client
        .post_status(revision(), StatusType::Healthy, "all good")
        .await
        .unwrap();
    client
        .post_metrics(&MetricsReport {
            cpu_cores_millis: 2000,
            cpu_usage: 0.5,
            memory_bytes: 1024,
            memory_usage: 0.25,
        })
        .await
        .unwrap();
    let timestamp = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    client
        .put_logs(&[LogRecordInput {
            deployment_id: DeploymentId::nil(),
            deployment_revision_id: revision(),
            resource: "web-1".to_owned(),
            timestamp,
            severity: "stdout".to_owned(),
            body: "hello".to_owned(),
        }])
        .await
        .unwrap();
    client
        .put_agent_logs(&[TargetLogInput {
            timestamp,
            severity: "info".to_owned(),
            body: "agent started".to_owned(),
        }])
        .await
        .unwrap();

    let requests = hub.requests();
    assert_eq!(requests.len(), 7, "{requests:#?}");
    for request in &requests {
        assert_eq!(
            request.header("user-agent").as_deref(),
            Some("DistrAgentClient/9.9.9-test"),
            "{} {}",
            request.method,
            request.path
        );
    }
    let login = &requests[0];
    assert_eq!(login.path, LOGIN);
    assert_eq!(login.method, "POST");
    assert!(login.body.is_empty());
    let basic = STANDARD.encode(format!("{TARGET_ID}:{TARGET_SECRET}"));
    assert_eq!(
        login.header("authorization"),
        Some(format!("Basic {basic}"))
    );
    let token = hub.issued_tokens()[0].clone();
    for request in &requests[1..] {
        assert_eq!(request.bearer(), token, "{}", request.path);
    }
    for path in [STATUS, METRICS, LOGS, AGENT_LOGS] {
        let request = &hub.requests_to(path)[0];
        assert_eq!(
            request.header("content-type").as_deref(),
            Some("application/json"),
            "{path}"
        );
    }
    let status: serde_json::Value =
        serde_json::from_slice(&hub.requests_to(STATUS)[0].body).unwrap();
    assert_eq!(
        status,
        serde_json::json!({"revisionId": revision().to_string(), "type": "healthy", "message": "all good"})
    );
    let metrics: serde_json::Value =
        serde_json::from_slice(&hub.requests_to(METRICS)[0].body).unwrap();
    assert_eq!(
        metrics,
        serde_json::json!({"cpuCoresMillis": 2000, "cpuUsage": 0.5, "memoryBytes": 1024, "memoryUsage": 0.25})
    );
    assert_eq!(hub.requests_to(LOGS)[0].method, "PUT");
    let logs: serde_json::Value = serde_json::from_slice(&hub.requests_to(LOGS)[0].body).unwrap();
    assert_eq!(logs[0]["resource"], "web-1");
    assert_eq!(logs[0]["deploymentRevisionId"], revision().to_string());
}

#[tokio::test]
async fn a_fresh_token_is_reused_without_logging_in_again() {
    let hub = FakeHub::start().await;
    let client = client(&hub).await;
    for _ in 0..3 {
        client.resources(None, None).await.unwrap();
    }
    assert_eq!(client.token().await.unwrap(), hub.issued_tokens()[0]);
    assert_eq!(hub.requests_to(LOGIN).len(), 1);
}

#[tokio::test]
async fn a_token_expiring_within_30_seconds_is_refreshed_before_the_request() {
    let hub = FakeHub::start().await;
    hub.set_login_ttl(20);
    let client = client(&hub).await;
    client.resources(None, None).await.unwrap();
    client.resources(None, None).await.unwrap();
    assert_eq!(hub.requests_to(LOGIN).len(), 2);
    let tokens = hub.issued_tokens();
    let resources = hub.requests_to(crate::fake_hub::RESOURCES);
    assert_eq!(resources[0].bearer(), tokens[0]);
    assert_eq!(resources[1].bearer(), tokens[1]);
}

#[tokio::test]
async fn a_failed_refresh_keeps_using_the_unexpired_token() {
    let hub = FakeHub::start().await;
    hub.set_login_ttl(20);
    let client = client(&hub).await;
    client.resources(None, None).await.unwrap();
    hub.script(LOGIN, [Scripted::status(503, "busy")]);
    client
        .post_status(revision(), StatusType::Running, "ok")
        .await
        .unwrap();
    assert_eq!(hub.requests_to(LOGIN).len(), 2);
    assert_eq!(hub.requests_to(STATUS)[0].bearer(), hub.issued_tokens()[0]);
}

#[tokio::test]
async fn a_failed_login_without_a_token_fails_the_call_before_sending_it() {
    let hub = FakeHub::start().await;
    hub.script(LOGIN, [Scripted::status(401, "")]);
    let client = client(&hub).await;
    let err = client
        .post_status(revision(), StatusType::Running, "ok")
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "non-ok http status: 401 Unauthorized ()");
    assert!(hub.requests_to(STATUS).is_empty());
}

#[tokio::test]
async fn a_401_on_status_logs_in_again_and_retries_once_with_an_identical_body() {
    let hub = FakeHub::start().await;
    let client = client(&hub).await;
    hub.script(STATUS, [Scripted::status(401, "token revoked")]);
    client
        .post_status(revision(), StatusType::Error, "compose failed: \"x\"")
        .await
        .unwrap();
    let logins = hub.requests_to(LOGIN);
    let statuses = hub.requests_to(STATUS);
    assert_eq!(logins.len(), 2);
    assert_eq!(statuses.len(), 2);
    assert!(!statuses[0].body.is_empty());
    assert_eq!(statuses[0].body, statuses[1].body);
    assert_eq!(
        statuses[1].header("content-type").as_deref(),
        Some("application/json")
    );
    let tokens = hub.issued_tokens();
    assert_eq!(statuses[0].bearer(), tokens[0]);
    assert_eq!(statuses[1].bearer(), tokens[1]);
    // The new token is the cached one from now on.
    client.resources(None, None).await.unwrap();
    assert_eq!(hub.requests_to(LOGIN).len(), 2);
}

#[tokio::test]
async fn a_second_401_is_a_failure_and_is_not_retried() {
    let hub = FakeHub::start().await;
    let client = client(&hub).await;
    hub.script(
        STATUS,
        [
            Scripted::status(401, "no"),
            Scripted::status(401, " still no \n"),
        ],
    );
    let err = client
        .post_status(revision(), StatusType::Running, "m")
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HubError::Status {
            code: 401,
            text: "Unauthorized".to_owned(),
            body: "still no".to_owned()
        }
    );
    assert_eq!(hub.requests_to(STATUS).len(), 2);
    assert_eq!(hub.requests_to(LOGIN).len(), 2);
}

#[tokio::test]
async fn a_json_login_body_is_accepted_whatever_its_content_type() {
    let hub = FakeHub::start().await;
    let token = crate::fake_hub::mint(3600);
    hub.script(
        LOGIN,
        [
            Scripted::status(200, &format!(" {{\"token\": \"{token}\", \"extra\": 1}}"))
                .with_header("content-type", "application/octet-stream"),
        ],
    );
    let client = client(&hub).await;
    assert_eq!(client.token().await.unwrap(), token);
}

#[tokio::test]
async fn a_login_body_without_a_jwt_is_malformed() {
    let hub = FakeHub::start().await;
    hub.script(
        LOGIN,
        [
            Scripted::status(200, "welcome"),
            Scripted::status(200, r#"{"token":""}"#),
            Scripted::status(200, r#"{"token":"not-a-jwt"}"#),
        ],
    );
    let client = client(&hub).await;
    for _ in 0..3 {
        let err = client.token().await.unwrap_err();
        assert!(matches!(err, HubError::Malformed(_)), "{err:?}");
    }
}

#[tokio::test]
async fn replacing_the_configuration_drops_the_token_and_logs_in_with_the_new_credentials() {
    let hub = FakeHub::start().await;
    let client = client(&hub).await;
    client.resources(None, None).await.unwrap();
    let mut config = hub.config();
    config.target_id = "11111111-1111-1111-1111-111111111111".to_owned();
    config.user_agent_version = "snapshot".to_owned();
    client.replace_config(config);
    client.resources(None, None).await.unwrap();
    let logins = hub.requests_to(LOGIN);
    assert_eq!(logins.len(), 2);
    let basic = STANDARD.encode(format!(
        "11111111-1111-1111-1111-111111111111:{TARGET_SECRET}"
    ));
    assert_eq!(
        logins[1].header("authorization"),
        Some(format!("Basic {basic}"))
    );
    let last = hub.requests().pop().unwrap();
    assert_eq!(
        last.header("user-agent").as_deref(),
        Some("DistrAgentClient/snapshot")
    );
    assert_eq!(last.bearer(), hub.issued_tokens()[1]);
}
