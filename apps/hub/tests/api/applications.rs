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
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);
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

/// Status and raw body bytes of a GET.
async fn raw_bytes(app: &TestApp, path: &str, token: &str) -> (StatusCode, Vec<u8>) {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, bytes.to_vec())
}

/// Files whose exact bytes matter: non-ASCII, CRLF line ends, trailing blanks
/// and no final newline.
const EXACT_COMPOSE: &str = "# café ☃ — ünïcödé\r\nservices:   \r\n  web:\r\n    image: nginx:alpine  \r\n\r\n# tail \t \n   ";
const EXACT_TEMPLATE: &str = "GREETING=grüß dich  \r\nEMPTY=\r\n\t\n";

// HS §7 item 14: a multipart docker version gets 201 and the raw-file routes
// return exactly the uploaded bytes.
async fn docker_version_from_multipart_reads_back_byte_exact(app: TestApp) {
    let org = app.org().await;
    let id = app_id(&app, &org.admin.token, "docker").await;
    let (content_type, body) = multipart(&[
        ("applicationversion", "application/json", r#"{"name":"v1"}"#),
        ("composefile", "application/yaml", EXACT_COMPOSE),
        ("templatefile", "text/plain", EXACT_TEMPLATE),
    ]);
    let request = Request::post(format!("/api/v1/applications/{id}/versions"))
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", org.writer.token),
        )
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["name"], "v1");
    let vid = reply.body["id"].as_str().unwrap();
    let path = format!("/api/v1/applications/{id}/versions/{vid}");
    for (file, expected) in [
        ("compose-file", EXACT_COMPOSE),
        ("template-file", EXACT_TEMPLATE),
    ] {
        let (status, bytes) =
            raw_bytes(&app, &format!("{path}/{file}"), &org.customer_reader.token).await;
        assert_eq!(status, StatusCode::OK, "{file}");
        assert_eq!(bytes, expected.as_bytes(), "{file}");
    }
}

/// The pointers of a 400 `errors[]`, sorted.
fn pointers(reply: &super::support::Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let mut pointers: Vec<String> = reply.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[]: {}", reply.body))
        .iter()
        .map(|e| e["pointer"].as_str().unwrap().to_owned())
        .collect();
    pointers.sort_unstable();
    pointers
}

// HS §7 item 16: each docker rule violation is a 400 with its pointer, and nothing is stored.
async fn docker_version_rules_are_reported_with_pointers(app: TestApp) {
    let org = app.org().await;
    let id = app_id(&app, &org.admin.token, "docker").await;
    let path = format!("/api/v1/applications/{id}/versions");
    let cases = [
        (json!({"name": "v1"}), "/composeFile"),
        (json!({"name": "v1", "composeFile": ""}), "/composeFile"),
        (
            json!({"name": "v1", "composeFile": b64("version: '3'\nvolumes:\n  data: {}\n")}),
            "/composeFile",
        ),
        (
            json!({"name": "v1", "composeFile": b64("services: {}\n")}),
            "/composeFile",
        ),
        (
            json!({"name": "v1", "composeFile": b64(COMPOSE), "chartType": "oci"}),
            "/chartType",
        ),
        (
            json!({"name": "v1", "composeFile": b64(COMPOSE), "chartUrl": "oci://r/c"}),
            "/chartUrl",
        ),
        (
            json!({"name": "v1", "composeFile": b64(COMPOSE), "chartName": "web"}),
            "/chartName",
        ),
        (
            json!({"name": "v1", "composeFile": b64(COMPOSE), "chartVersion": "1.0.0"}),
            "/chartVersion",
        ),
        (
            json!({"name": "v1", "composeFile": b64(COMPOSE), "valuesFile": b64("a: 1\n")}),
            "/valuesFile",
        ),
    ];
    for (body, pointer) in cases {
        let reply = app.post(&path, &org.admin.token, body.clone()).await;
        assert_eq!(reply.slug(), "validation-error", "{body}");
        assert_eq!(pointers(&reply), [pointer], "{body}");
    }
    let one = app
        .get(&format!("/api/v1/applications/{id}"), &org.admin.token)
        .await;
    assert_eq!(one.body["versions"], json!([]), "nothing stored");
}

// HS §7 item 17: each kubernetes rule violation is a 400 with its pointer, and nothing is stored.
async fn kubernetes_version_rules_are_reported_with_pointers(app: TestApp) {
    let org = app.org().await;
    let id = app_id(&app, &org.admin.token, "kubernetes").await;
    let path = format!("/api/v1/applications/{id}/versions");
    let repository = json!({"name": "1.0.0", "chartType": "repository",
        "chartUrl": "https://charts.example.com", "chartName": "web", "chartVersion": "1.0.0"});
    let oci = json!({"name": "1.0.0", "chartType": "oci", "chartUrl": "oci://registry.example/charts/web",
        "chartVersion": "1.0.0"});
    let with = |base: &serde_json::Value, key: &str, value: serde_json::Value| {
        let mut body = base.clone();
        if value.is_null() {
            body.as_object_mut().unwrap().remove(key);
        } else {
            body[key] = value;
        }
        body
    };
    let cases = [
        (with(&repository, "chartName", json!(null)), "/chartName"),
        (with(&repository, "chartName", json!("  ")), "/chartName"),
        (
            with(
                &oci,
                "chartUrl",
                json!("https://registry.example/charts/web"),
            ),
            "/chartUrl",
        ),
        (with(&oci, "chartUrl", json!("oci://")), "/chartUrl"),
        (with(&oci, "chartName", json!("web")), "/chartName"),
        (
            with(&repository, "chartVersion", json!(null)),
            "/chartVersion",
        ),
        (with(&oci, "chartVersion", json!("")), "/chartVersion"),
        (
            with(&repository, "valuesFile", json!(b64("- a\n- b\n"))),
            "/valuesFile",
        ),
        (
            with(&oci, "valuesFile", json!(b64("just a string\n"))),
            "/valuesFile",
        ),
    ];
    for (body, pointer) in cases {
        let reply = app.post(&path, &org.admin.token, body.clone()).await;
        assert_eq!(reply.slug(), "validation-error", "{body}");
        assert_eq!(pointers(&reply), [pointer], "{body}");
    }
    let one = app
        .get(&format!("/api/v1/applications/{id}"), &org.admin.token)
        .await;
    assert_eq!(one.body["versions"], json!([]), "nothing stored");
    // The two valid shapes are accepted.
    for body in [repository, oci] {
        let name = body["chartType"].as_str().unwrap().to_owned();
        let reply = app
            .post(&path, &org.admin.token, with(&body, "name", json!(name)))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
}

on_both_stores!(
    docker_version_from_multipart_reads_back_byte_exact,
    docker_version_rules_are_reported_with_pointers,
    kubernetes_version_rules_are_reported_with_pointers,
    applications_follow_the_role_matrix,
    docker_version_is_created_from_json_and_listed,
    compose_file_that_is_not_a_mapping_is_refused_and_nothing_stored,
    file_over_256_kib_is_payload_too_large,
    kubernetes_version_is_created_from_multipart,
);
