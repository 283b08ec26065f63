//! Agent and workload logs, their exports, and target metrics.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::{DateTime, TimeDelta, Utc};
use distr_domain::ids::TargetId;
use distr_testkit::builders::{DeploymentLogBuilder, MetricsSampleBuilder, TargetLogBuilder};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use super::deployments::{Fixture, deploy_body, docker_fixture};
use super::support::{TestApp, auth_header};

fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap()
}

/// Status, headers and raw text of a GET.
async fn text(app: &TestApp, path: &str, token: &str) -> (StatusCode, HeaderMap, String) {
    let request = Request::builder()
        .uri(path)
        .header(header::AUTHORIZATION, auth_header(token))
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (
        parts.status,
        parts.headers,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

/// The path of the `rel="next"` link.
fn next_link(headers: &HeaderMap) -> String {
    let link = headers[header::LINK].to_str().unwrap();
    link.trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_owned()
}

async fn deployed(app: &TestApp) -> (Fixture, Value) {
    let f = docker_fixture(app).await;
    let reply = app
        .put(
            "/api/v1/deployments",
            &f.org.customer_writer.token,
            deploy_body(&f, "A=1\n"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    (f, reply.body)
}

async fn target_logs_are_paged_and_exported_oldest_first(app: TestApp) {
    let f = docker_fixture(&app).await;
    let target: TargetId = f.target.parse().unwrap();
    let records: Vec<_> = [("a", 1), ("b", 2), ("c", 3)]
        .into_iter()
        .map(|(body, s)| TargetLogBuilder::new(target, at(s)).body(body).build())
        .collect();
    app.state.store.insert_target_logs(&records).await.unwrap();
    let path = format!("/api/v1/deployment-targets/{}/logs", f.target);
    let first = app
        .get(&format!("{path}?limit=2"), &f.org.customer_reader.token)
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let bodies: Vec<_> = first
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["body"].clone())
        .collect();
    assert_eq!(bodies, [json!("c"), json!("b")]);
    assert_eq!(first.body[0]["severity"], "INFO");
    assert_eq!(first.body[0]["timestamp"], "2023-11-14T22:13:23.000000Z");
    let rest = app
        .get(&next_link(&first.headers), &f.org.customer_reader.token)
        .await;
    assert_eq!(rest.body.as_array().unwrap().len(), 1);
    assert_eq!(rest.body[0]["body"], "a");

    let (status, headers, body) = text(&app, &format!("{path}/export"), &f.org.reader.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert_eq!(
        body,
        "[2023-11-14T22:13:21.000000Z] [INFO] a\n[2023-11-14T22:13:22.000000Z] [INFO] b\n[2023-11-14T22:13:23.000000Z] [INFO] c\n"
    );
    let stranger = app.org().await;
    assert_eq!(
        app.get(&path, &stranger.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        text(&app, &format!("{path}/export"), &stranger.admin.token)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let other_customer = app
        .user(
            f.org.id,
            distr_domain::user::UserRole::Admin,
            Some(f.org.other_customer),
            "pw",
        )
        .await;
    assert_eq!(
        app.get(&path, &other_customer.token).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn deployment_logs_need_a_resource_and_list_their_resources(app: TestApp) {
    let (f, deployment) = deployed(&app).await;
    let d = deployment["id"].as_str().unwrap().parse().unwrap();
    let r = deployment["deploymentRevisionId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let records = [
        DeploymentLogBuilder::new(d, r, "web", at(1))
            .body("w1")
            .build(),
        DeploymentLogBuilder::new(d, r, "db", at(2))
            .body("d1")
            .build(),
        DeploymentLogBuilder::new(d, r, "web", at(3))
            .body("w2")
            .build(),
    ];
    app.state
        .store
        .insert_deployment_logs(&records)
        .await
        .unwrap();
    let path = format!("/api/v1/deployments/{d}/logs");
    let token = &f.org.customer_reader.token;
    let missing = app.get(&path, token).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let page = app
        .get(&format!("{path}?resource=web&limit=1"), token)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body.as_array().unwrap().len(), 1);
    assert_eq!(page.body[0]["body"], "w2");
    assert_eq!(page.body[0]["resource"], "web");
    assert_eq!(page.body[0]["deploymentId"], deployment["id"]);
    assert_eq!(
        page.body[0]["deploymentRevisionId"],
        deployment["deploymentRevisionId"]
    );
    let next = next_link(&page.headers);
    assert!(next.contains("resource=web"), "{next}");
    let rest = app.get(&next, token).await;
    assert_eq!(rest.body[0]["body"], "w1");
    assert!(rest.headers.get(header::LINK).is_none());

    let resources = app.get(&format!("{path}/resources"), token).await;
    assert_eq!(resources.body, json!(["db", "web"]));
    let (status, headers, body) = text(&app, &format!("{path}/export?resource=web"), token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        body,
        "[2023-11-14T22:13:21.000000Z] [INFO] w1\n[2023-11-14T22:13:23.000000Z] [INFO] w2\n"
    );
    assert_eq!(
        text(&app, &format!("{path}/export"), token).await.0,
        StatusCode::BAD_REQUEST
    );
    let stranger = app.org().await;
    for suffix in ["?resource=web", "/resources", "/export?resource=web"] {
        let (status, _, _) = text(&app, &format!("{path}{suffix}"), &stranger.reader.token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{suffix}");
    }
}

async fn metrics_show_the_latest_sample_and_bucket_averages(app: TestApp) {
    let f = docker_fixture(&app).await;
    let target: TargetId = f.target.parse().unwrap();
    for (s, cpu) in [(0, 0.2), (10, 0.4), (70, 0.9)] {
        let sample = MetricsSampleBuilder::new(target, at(s))
            .cpu_usage(cpu)
            .build();
        app.state.store.insert_metrics(&sample).await.unwrap();
    }
    let latest = app
        .get(
            "/api/v1/deployment-target-metrics",
            &f.org.customer_reader.token,
        )
        .await;
    assert_eq!(latest.status, StatusCode::OK);
    assert_eq!(latest.body.as_array().unwrap().len(), 1);
    assert_eq!(latest.body[0]["deploymentTargetId"], json!(f.target));
    assert_eq!(latest.body[0]["cpuUsage"], 0.9);
    let other_customer = app
        .user(
            f.org.id,
            distr_domain::user::UserRole::ReadOnly,
            Some(f.org.other_customer),
            "pw",
        )
        .await;
    let hidden = app
        .get("/api/v1/deployment-target-metrics", &other_customer.token)
        .await;
    assert_eq!(hidden.body, json!([]));

    let from = at(0).to_rfc3339();
    let to = (at(0) + TimeDelta::seconds(120)).to_rfc3339();
    let path = format!("/api/v1/deployment-targets/{}/metrics", f.target);
    let query = format!(
        "{path}?from={}&to={}&points=2",
        urlencode(&from),
        urlencode(&to)
    );
    let series = app.get(&query, &f.org.customer_reader.token).await;
    assert_eq!(series.status, StatusCode::OK, "{}", series.body);
    assert_eq!(series.body["stepSeconds"], 60);
    let samples = series.body["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 2);
    assert!((samples[0]["cpuUsage"].as_f64().unwrap() - 0.3).abs() < 1e-9);
    assert_eq!(samples[1]["time"], "2023-11-14T22:14:20.000000Z");
    let empty = app.get(&path, &f.org.reader.token).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(
        empty.body["samples"],
        json!([]),
        "the last hour holds no sample"
    );
    assert_eq!(
        app.get(&format!("{path}?points=0"), &f.org.reader.token)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let stranger = app.org().await;
    assert_eq!(
        app.get(&path, &stranger.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&path, &other_customer.token).await.status,
        StatusCode::NOT_FOUND
    );

    // Disabling metrics hides the target from the latest list.
    let target_path = format!("/api/v1/deployment-targets/{}", f.target);
    let off = app
        .put(
            &target_path,
            &f.org.admin.token,
            json!({"name": "t", "metricsEnabled": false}),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let latest = app
        .get("/api/v1/deployment-target-metrics", &f.org.reader.token)
        .await;
    assert_eq!(latest.body, json!([]));
}

async fn add_secret(app: &TestApp, f: &Fixture, key: &str, value: &str) {
    let secret = json!({"key": key, "value": value, "customerOrganizationId": f.org.customer});
    let reply = app
        .post("/api/v1/secrets", &f.org.admin.token, secret)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

// HS §7 item 58 (log lines; statuses are `agent_protocol::cases::ingest`): a
// secret value in an agent log line is stored and returned as `********`,
// including a value that became a secret after the line was stored (HS §2.3:
// redacted on ingestion and again on read).
async fn secret_values_in_log_lines_are_stored_and_returned_redacted(app: TestApp) {
    use axum::http::Method;
    let (f, deployment) = deployed(&app).await;
    add_secret(&app, &f, "TOKEN", "s3cr3t-value").await;
    let enable = app
        .call(
            Method::PATCH,
            &format!("/api/v1/deployments/{}", deployment["id"].as_str().unwrap()),
            Some(&f.org.admin.token),
            Some(json!({"logsEnabled": true})),
        )
        .await;
    assert_eq!(enable.status, StatusCode::OK, "{}", enable.body);
    let agent = app.agent_token(&f.org.admin.token, &f.target).await;
    let line = |body: &str, second: u32| {
        json!({"deploymentId": deployment["id"], "deploymentRevisionId": deployment["deploymentRevisionId"],
            "resource": "web", "timestamp": format!("2026-01-02T03:04:{second:02}Z"), "severity": "info", "body": body})
    };
    let own = |body: &str, second: u32| json!({"timestamp": format!("2026-01-02T03:04:{second:02}Z"), "severity": "info", "body": body});
    let logs = json!([
        line("token=s3cr3t-value ok", 1),
        line("later=l4ter-secret", 2)
    ]);
    let reply = app
        .agent_call(Method::PUT, "/agent/logs", &agent, Some(logs))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let logs = json!([
        own("agent saw s3cr3t-value", 1),
        own("agent saw l4ter-secret", 2)
    ]);
    let reply = app
        .agent_call(
            Method::PUT,
            "/agent/deployment-target-logs",
            &agent,
            Some(logs),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);

    let d: distr_domain::ids::DeploymentId = deployment["id"].as_str().unwrap().parse().unwrap();
    let target: TargetId = f.target.parse().unwrap();
    let page = distr_ports::store::PageRequest::first(10);
    let mut stored: Vec<String> = app
        .state
        .store
        .list_deployment_logs(d, "web", page)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.body)
        .collect();
    stored.extend(
        app.state
            .store
            .list_target_logs(target, page)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.body),
    );
    assert!(
        stored.contains(&"token=******** ok".to_owned()),
        "{stored:?}"
    );
    assert!(
        stored.contains(&"agent saw ********".to_owned()),
        "{stored:?}"
    );
    assert!(
        !stored.iter().any(|b| b.contains("s3cr3t-value")),
        "{stored:?}"
    );
    assert!(
        stored.iter().filter(|b| b.contains("l4ter-secret")).count() == 2,
        "not yet a secret when stored: {stored:?}"
    );

    add_secret(&app, &f, "LATER", "l4ter-secret").await;
    let token = &f.org.customer_reader.token;
    let deployment_logs = format!("/api/v1/deployments/{d}/logs");
    let listed = app
        .get(&format!("{deployment_logs}?resource=web"), token)
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let bodies: Vec<&Value> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["body"])
        .collect();
    assert_eq!(
        bodies,
        [&json!("later=********"), &json!("token=******** ok")]
    );
    let (_, _, export) = text(
        &app,
        &format!("{deployment_logs}/export?resource=web"),
        token,
    )
    .await;
    assert_eq!(
        export,
        "[2026-01-02T03:04:01.000000Z] [info] token=******** ok\n[2026-01-02T03:04:02.000000Z] [info] later=********\n"
    );
    let target_logs = format!("/api/v1/deployment-targets/{}/logs", f.target);
    let listed = app.get(&target_logs, token).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let bodies: Vec<&Value> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["body"])
        .collect();
    assert_eq!(
        bodies,
        [&json!("agent saw ********"), &json!("agent saw ********")]
    );
    let (_, _, export) = text(&app, &format!("{target_logs}/export"), token).await;
    assert!(
        !export.contains("l4ter-secret") && !export.contains("s3cr3t-value"),
        "{export}"
    );
    assert_eq!(export.matches("agent saw ********").count(), 2, "{export}");
}

fn urlencode(text: &str) -> String {
    text.replace(':', "%3A").replace('+', "%2B")
}

on_both_stores!(
    secret_values_in_log_lines_are_stored_and_returned_redacted,
    target_logs_are_paged_and_exported_oldest_first,
    deployment_logs_need_a_resource_and_list_their_resources,
    metrics_show_the_latest_sample_and_bucket_averages
);
