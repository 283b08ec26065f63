//! Infrastructure endpoints and the envelope: request ids, problem
//! documents, body limit, content types.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use super::support::{Backend, TestApp};

#[tokio::test]
async fn status_and_ready_answer_ok() {
    let app = TestApp::new(Backend::Memory).await;
    let status = app.call(Method::GET, "/status", None, None).await;
    assert_eq!(status.status, StatusCode::OK);
    assert_eq!(status.body, json!({"status": "ok"}));
    let ready = app.call(Method::GET, "/ready", None, None).await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.body, json!({"ready": true}));
}

#[tokio::test]
async fn ready_is_503_when_the_store_is_down() {
    let store = std::sync::Arc::new(distr_testkit::MemoryStore::new());
    let mut app = TestApp::new(Backend::Memory).await;
    app.state.store = store.clone();
    app.router = distr_hub::router::build_router(app.state.clone());
    store.set_unavailable(true);
    let ready = app.call(Method::GET, "/ready", None, None).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.body, json!({"ready": false}));
}

#[tokio::test]
async fn unknown_path_is_a_404_problem_with_instance_and_request_id() {
    let app = TestApp::new(Backend::Memory).await;
    let reply = app
        .call(Method::GET, "/api/v1/nothing-here", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(reply.body["type"], "/problems/not-found");
    assert_eq!(reply.body["title"], "Not Found");
    assert_eq!(reply.body["instance"], "/api/v1/nothing-here");
    let id = reply.headers["x-request-id"].to_str().unwrap();
    assert_eq!(reply.body["requestId"], id);
}

#[tokio::test]
async fn wrong_method_is_a_405_problem() {
    let app = TestApp::new(Backend::Memory).await;
    let reply = app
        .call(Method::DELETE, "/api/v1/applications", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(reply.body["status"], 405);
}

#[tokio::test]
async fn safe_incoming_request_id_is_reused_and_unsafe_one_replaced() {
    let app = TestApp::new(Backend::Memory).await;
    let request = Request::get("/status")
        .header("x-request-id", "trace-42.a_b")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.send(request).await.headers["x-request-id"],
        "trace-42.a_b"
    );
    let long = "x".repeat(65);
    let request = Request::get("/status")
        .header("x-request-id", long.as_str())
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_ne!(reply.headers["x-request-id"], long.as_str());
    assert!(!reply.headers["x-request-id"].is_empty());
}

#[tokio::test]
async fn body_over_one_mebibyte_is_a_413_problem() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let big = json!({"name": "x".repeat(1024 * 1024 + 10), "type": "docker"});
    let reply = app
        .post("/api/v1/applications", &org.admin.token, big)
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.slug(), "payload-too-large");
    assert_eq!(
        app.get("/api/v1/applications", &org.admin.token).await.body,
        json!([])
    );
}

#[tokio::test]
async fn malformed_json_is_bad_request_and_other_content_types_are_415() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let request = Request::post("/api/v1/applications")
        .header(header::AUTHORIZATION, format!("Bearer {}", org.admin.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"name\": "))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.slug(), "bad-request");
    let request = Request::post("/api/v1/applications")
        .header(header::AUTHORIZATION, format!("Bearer {}", org.admin.token))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("name=x"))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(reply.slug(), "unsupported-media-type");
}
