//! `PATCH /deployments/{id}`, the revision history and the status export.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use distr_domain::deployment::StatusType;
use distr_domain::ids::{StatusId, TargetId};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use super::deployments::{deploy_body, docker_fixture};
use super::support::{Reply, TestApp, auth_header, b64};

async fn patch(app: &TestApp, path: &str, token: &str, body: Value) -> Reply {
    app.call(Method::PATCH, path, Some(token), Some(body)).await
}

/// Status, headers and the raw text of a GET.
async fn text(
    app: &TestApp,
    path: &str,
    token: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
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

async fn deploy(app: &TestApp, f: &super::deployments::Fixture, env: &str) -> Value {
    let reply = app
        .put(
            "/api/v1/deployments",
            &f.org.customer_writer.token,
            deploy_body(f, env),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

async fn patching_logs_enabled_creates_no_revision_and_wakes_the_agent(app: TestApp) {
    let f = docker_fixture(&app).await;
    let created = deploy(&app, &f, "A=1\n").await;
    let path = format!("/api/v1/deployments/{}", created["id"].as_str().unwrap());
    let mut changes = app.state.changes.subscribe();
    let reply = patch(
        &app,
        &path,
        &f.org.customer_writer.token,
        json!({"logsEnabled": true}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["logsEnabled"], true);
    assert_eq!(
        reply.body["deploymentRevisionId"],
        created["deploymentRevisionId"]
    );
    let target: TargetId = f.target.parse().unwrap();
    assert_eq!(changes.next().await, Some(target));
    assert_eq!(
        app.get(&path, &f.org.reader.token).await.body["logsEnabled"],
        true
    );
    let revisions = app
        .get(&format!("{path}/revisions"), &f.org.reader.token)
        .await;
    assert_eq!(revisions.body.as_array().unwrap().len(), 1);

    let missing = patch(&app, &path, &f.org.admin.token, json!({})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.body["errors"][0]["pointer"], "/logsEnabled");
    let body = json!({"logsEnabled": false});
    assert_eq!(
        patch(&app, &path, &f.org.reader.token, body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        patch(&app, &path, &f.org.customer_reader.token, body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let stranger = app.org().await;
    assert_eq!(
        patch(&app, &path, &stranger.admin.token, body).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn revisions_come_newest_first_in_pages(app: TestApp) {
    let f = docker_fixture(&app).await;
    let first = deploy(&app, &f, "A=1\n").await;
    let id = first["id"].as_str().unwrap();
    let mut body = deploy_body(&f, "A=2\n");
    body["deploymentId"] = json!(id);
    let second = app
        .put("/api/v1/deployments", &f.org.admin.token, body)
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let path = format!("/api/v1/deployments/{id}/revisions");
    let all = app.get(&path, &f.org.customer_reader.token).await;
    assert_eq!(all.status, StatusCode::OK);
    let list = all.body.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], second.body["deploymentRevisionId"]);
    assert_eq!(list[0]["envFileData"], b64("A=2\n"));
    assert_eq!(list[0]["applicationVersionName"], "v1");
    assert_eq!(list[0]["trigger"], "user");
    assert_eq!(list[0]["deploymentId"], json!(id));
    assert_eq!(list[0]["createdBy"]["id"], json!(f.org.admin.user_id));
    assert_eq!(
        list[1]["createdBy"]["id"],
        json!(f.org.customer_writer.user_id)
    );

    let page = app
        .get(&format!("{path}?limit=1"), &f.org.reader.token)
        .await;
    assert_eq!(page.body.as_array().unwrap().len(), 1);
    let link = page.headers[header::LINK].to_str().unwrap();
    let next = link.trim_start_matches('<').split('>').next().unwrap();
    let rest = app.get(next, &f.org.reader.token).await;
    assert_eq!(rest.body.as_array().unwrap()[0]["id"], list[1]["id"]);
    assert!(rest.headers.get(header::LINK).is_none());
    assert_eq!(
        app.get(&format!("{path}?limit=0"), &f.org.reader.token)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    let stranger = app.org().await;
    assert_eq!(
        app.get(&path, &stranger.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
    let other_customer = app
        .user(
            f.org.id,
            distr_domain::user::UserRole::ReadOnly,
            Some(f.org.other_customer),
            "pw",
        )
        .await;
    assert_eq!(
        app.get(&path, &other_customer.token).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn status_export_is_oldest_first_text(app: TestApp) {
    let f = docker_fixture(&app).await;
    let created = deploy(&app, &f, "A=1\n").await;
    let revision = created["deploymentRevisionId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let base = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    for (i, (kind, message)) in [
        (StatusType::Progressing, "pulling"),
        (StatusType::Running, "up"),
    ]
    .into_iter()
    .enumerate()
    {
        let at = base + chrono::Duration::seconds(i64::try_from(i).unwrap());
        app.state
            .store
            .record_status(
                StatusId::from_uuid(uuid::Uuid::now_v7()),
                revision,
                kind,
                message,
                at,
            )
            .await
            .unwrap();
    }
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/deployments/{id}/status/export");
    let (status, headers, body) = text(&app, &path, &f.org.customer_reader.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(headers.get("x-export-truncated").is_none());
    assert_eq!(
        body,
        "[2023-11-14T22:13:20.000000Z] [progressing] pulling\n[2023-11-14T22:13:21.000000Z] [running] up\n"
    );
    let stranger = app.org().await;
    assert_eq!(
        text(&app, &path, &stranger.reader.token).await.0,
        StatusCode::NOT_FOUND
    );
}

on_both_stores!(
    patching_logs_enabled_creates_no_revision_and_wakes_the_agent,
    revisions_come_newest_first_in_pages,
    status_export_is_oldest_first_text
);
