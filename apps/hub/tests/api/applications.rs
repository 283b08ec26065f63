//! Applications and version upload (JSON and multipart).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use super::support::{COMPOSE, TestApp, b64};

async fn app_id(app: &TestApp, token: &str, kind: &str) -> String {
    let reply = app
        .post(
            "/api/v1/applications",
            token,
            json!({"name": format!("app-{kind}"), "type": kind}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn applications_follow_the_role_matrix(app: TestApp) {
    let org = app.org().await;
    for (caller, expected) in [
        (&org.admin, StatusCode::CREATED),
        (&org.writer, StatusCode::CREATED),
        (&org.reader, StatusCode::FORBIDDEN),
        (&org.customer_admin, StatusCode::FORBIDDEN),
        (&org.customer_writer, StatusCode::FORBIDDEN),
    ] {
        let body = json!({"name": format!("a-{}", uuid::Uuid::now_v7()), "type": "docker"});
        assert_eq!(
            app.post("/api/v1/applications", &caller.token, body)
                .await
                .status,
            expected
        );
    }
    let list = app
        .get("/api/v1/applications", &org.customer_reader.token)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    let id = list.body[0]["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"), &org.reader.token)
            .await
            .status,
        StatusCode::OK
    );
    let stranger = app.org().await;
    let reply = app
        .get(&format!("/api/v1/applications/{id}"), &stranger.admin.token)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "other organizations' objects do not exist"
    );
    let bad = app
        .post(
            "/api/v1/applications",
            &org.admin.token,
            json!({"name": "", "type": "vm"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["errors"].as_array().unwrap().len(), 2);
}

async fn docker_version_is_created_from_json_and_listed(app: TestApp) {
    let org = app.org().await;
    let id = app_id(&app, &org.admin.token, "docker").await;
    let path = format!("/api/v1/applications/{id}/versions");
    let reply = app
        .post(
            &path,
            &org.writer.token,
            json!({"name": "v1", "composeFile": b64(COMPOSE)}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["name"], "v1");
    let dup = app
        .post(
            &path,
            &org.writer.token,
            json!({"name": "v1", "composeFile": b64(COMPOSE)}),
        )
        .await;
    assert_eq!(dup.slug(), "duplicate-name");
    let forbidden = app
        .post(
            &path,
            &org.reader.token,
            json!({"name": "v2", "composeFile": b64(COMPOSE)}),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let one = app
        .get(&format!("/api/v1/applications/{id}"), &org.reader.token)
        .await;
    assert_eq!(one.body["versions"].as_array().unwrap().len(), 1);
}

async fn compose_file_that_is_not_a_mapping_is_refused_and_nothing_stored(app: TestApp) {
    let org = app.org().await;
    let id = app_id(&app, &org.admin.token, "docker").await;
    let path = format!("/api/v1/applications/{id}/versions");
    let reply = app
        .post(
            &path,
            &org.admin.token,
            json!({"name": "v1", "composeFile": b64("- just\n- a list\n")}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errors"][0]["pointer"], "/composeFile");
    let helm_field = app
        .post(
            &path,
            &org.admin.token,
            json!({"name": "v1", "composeFile": b64(COMPOSE), "chartVersion": "1.0.0"}),
        )
        .await;
    assert_eq!(helm_field.body["errors"][0]["pointer"], "/chartVersion");
    let one = app
        .get(&format!("/api/v1/applications/{id}"), &org.admin.token)
        .await;
    assert_eq!(one.body["versions"], json!([]));
}

async fn file_over_256_kib_is_payload_too_large(app: TestApp) {
    let org = app.org().await;
    let id = app_id(&app, &org.admin.token, "docker").await;
    let big = format!("{COMPOSE}# {}\n", "x".repeat(256 * 1024));
    let reply = app
        .post(
            &format!("/api/v1/applications/{id}/versions"),
            &org.admin.token,
            json!({"name": "v1", "composeFile": b64(&big)}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.slug(), "payload-too-large");
}

fn multipart(parts: &[(&str, &str, &str)]) -> (String, Vec<u8>) {
    let boundary = "distr-test-boundary";
    let mut body = Vec::new();
    for (name, content_type, text) in parts {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n{text}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn kubernetes_version_is_created_from_multipart(app: TestApp) {
    let org = app.org().await;
    let id = app_id(&app, &org.admin.token, "kubernetes").await;
    let meta = r#"{"name":"1.0.0","chartType":"repository","chartUrl":"https://charts.example.com","chartName":"web","chartVersion":"1.0.0"}"#;
    let (content_type, body) = multipart(&[
        ("applicationversion", "application/json", meta),
        ("valuesfile", "application/yaml", "replicas: 1\n"),
    ]);
    let request = Request::post(format!("/api/v1/applications/{id}/versions"))
        .header(header::AUTHORIZATION, format!("Bearer {}", org.admin.token))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["chartName"], "web");
    let (content_type, body) = multipart(&[
        ("applicationversion", "application/json", meta),
        ("valuesfile", "image/png", "x"),
    ]);
    let request = Request::post(format!("/api/v1/applications/{id}/versions"))
        .header(header::AUTHORIZATION, format!("Bearer {}", org.admin.token))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(
        app.send(request).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}

on_both_stores!(
    applications_follow_the_role_matrix,
    docker_version_is_created_from_json_and_listed,
    compose_file_that_is_not_a_mapping_is_refused_and_nothing_stored,
    file_over_256_kib_is_payload_too_large,
    kubernetes_version_is_created_from_multipart,
);
