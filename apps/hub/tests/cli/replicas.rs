//! HS §7 item 72 (HS §6.2): two real `serve` processes on one PostgreSQL
//! database share credentials, agent contact and long-poll wake-ups; a
//! concurrent start of both migrates once without an error. Also item 64:
//! restarts leave one agent-version row for the Hub's version.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use super::api::{agent_login, call, client, docker_target, docker_version, login};
use super::postgres::SharedDatabase;
use super::process::{Serve, create_admin, run};

const READY_WITHIN: Duration = Duration::from_secs(20);

/// Starts two replicas at the same moment on an empty database.
fn start_pair(dir: &std::path::Path, env: &[(&str, &str)]) -> (Serve, Serve) {
    let mut a = Serve::start(dir, env);
    let mut b = Serve::start(dir, env);
    a.wait_ready(READY_WITHIN);
    b.wait_ready(READY_WITHIN);
    (a, b)
}

/// Fails when a replica logged anything at error level.
fn assert_no_errors(serve: &Serve) {
    let errors: Vec<Value> = serve
        .log_lines()
        .into_iter()
        .filter(|line| line["level"] == "ERROR")
        .collect();
    assert!(errors.is_empty(), "replica logged errors: {errors:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_sessions_agent_contact_and_long_poll_wake_ups() {
    let database = SharedDatabase::create().await;
    let dir = tempfile::tempdir().unwrap();
    let env = database.env();
    let (mut a, b) = start_pair(dir.path(), &env);
    let applied = |serve: &Serve| {
        serve
            .log_lines()
            .iter()
            .filter(|l| l["message"] == "applied migrations")
            .count()
    };
    assert_eq!(
        applied(&a) + applied(&b),
        1,
        "exactly one replica applies the migrations"
    );
    assert_no_errors(&a);
    assert_no_errors(&b);

    let admin = create_admin(dir.path(), &env);
    let password = admin["password"].as_str().unwrap();
    let pat = format!("AccessToken {}", admin["accessToken"].as_str().unwrap());
    let http = client();
    let (base_a, base_b) = (a.base(), b.base());

    // A login on A works on B: the API token, and the portal session cookie.
    let jwt = login(&http, &base_a, "ada@example.com", password).await;
    let user_auth = format!("Bearer {jwt}");
    let (status, context) = call(
        &http,
        Method::GET,
        format!("{base_b}/api/v1/context"),
        &user_auth,
        None,
    )
    .await;
    assert_eq!(status, 200, "{context}");
    let portal_login = http
        .post(format!("{base_a}/login"))
        .header("Origin", &base_a)
        .form(&[("email", "ada@example.com"), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(portal_login.status(), 303);
    let cookie = portal_login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("distr_session="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_owned();
    let page = |base: &str, cookie: Option<&str>| {
        let mut request = http.get(format!("{base}/deployments"));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send()
    };
    assert_eq!(page(&base_b, None).await.unwrap().status(), 303);
    assert_eq!(page(&base_b, Some(&cookie)).await.unwrap().status(), 200);

    // A poll handled by A shows the target connected through B.
    let version = docker_version(&http, &base_b, &pat).await;
    let target = docker_target(&http, &base_b, &pat, "edge").await;
    let target_on_b = || {
        call(
            &http,
            Method::GET,
            format!("{base_b}/api/v1/deployment-targets/{}", target.id),
            &pat,
            None,
        )
    };
    assert_eq!(target_on_b().await.1["connectionState"], "not_connected");
    let agent = agent_login(&http, &base_a, &target).await;
    let resources = format!("{base_a}/api/v1/agent/resources");
    let first = http
        .get(&resources)
        .header("Authorization", &agent)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(target_on_b().await.1["connectionState"], "connected");

    // A long-poll held on A wakes within 1 s of a deployment made through B.
    let held = tokio::spawn({
        let (http, agent, etag) = (http.clone(), agent.clone(), etag.clone());
        async move {
            let response = http
                .get(format!("{resources}?wait=30"))
                .header("Authorization", agent)
                .header("If-None-Match", etag)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (Instant::now(), status, body)
        }
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!held.is_finished(), "the long-poll is held");
    let (status, deployment) = call(
        &http,
        Method::PUT,
        format!("{base_b}/api/v1/deployments"),
        &pat,
        Some(json!({
            "deploymentTargetId": target.id,
            "applicationVersionId": version["id"],
        })),
    )
    .await;
    assert_eq!(status, 200, "{deployment}");
    let deployed = Instant::now();
    let (answered, status, body) = tokio::time::timeout(Duration::from_secs(5), held)
        .await
        .expect("the long-poll did not return")
        .unwrap();
    assert_eq!(status, 200);
    assert!(
        answered.saturating_duration_since(deployed) < Duration::from_secs(1),
        "woken {:?} after the deployment",
        answered.saturating_duration_since(deployed)
    );
    assert_eq!(body["deployments"][0]["id"], deployment["id"], "{body}");

    // HS §7 item 64: two starts and a restart register the Hub's version once.
    let port = a.port;
    a.stop();
    let mut a = Serve::start_on(dir.path(), port, &env);
    a.wait_ready(READY_WITHIN);
    let hub_version = run(dir.path(), &["version"], &[]);
    let hub_version: Value = serde_json::from_slice(&hub_version.stdout).unwrap();
    let (status, versions) = call(
        &http,
        Method::GET,
        format!("{base_a}/api/v1/agent-versions"),
        &pat,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let rows = versions
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["name"] == hub_version["agentVersion"])
        .count();
    assert_eq!(rows, 1, "{versions}");
    assert_no_errors(&a);
    assert_no_errors(&b);
}
