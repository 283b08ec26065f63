//! Helpers for HTML-level portal tests: cookie sessions, CSRF-carrying
//! form posts, and the "no external host" check (HS §7 item 77).

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use distr_domain::ids::{AgentVersionId, TargetId};
use distr_domain::target::AgentVersion;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use super::support::{COMPOSE, JWT_KEY, TestApp, b64};

/// The origin of the test Hub's `DISTR_HOST`.
pub const ORIGIN: &str = "http://localhost:8080";

/// One portal response.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    /// The `Location` of a redirect.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// A header's value, or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

async fn send(app: &TestApp, request: Request<Body>) -> Page {
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Page {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// GET with the session cookie of `token`, if any.
pub async fn get(app: &TestApp, path: &str, token: Option<&str>) -> Page {
    let mut builder = Request::builder().method(Method::GET).uri(path);
    if let Some(token) = token {
        builder = builder.header(header::COOKIE, format!("distr_session={token}"));
    }
    send(app, builder.body(Body::empty()).unwrap()).await
}

/// POSTs a form with the session cookie and `Origin` given.
pub async fn post_raw(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    origin: Option<&str>,
    fields: &[(&str, &str)],
) -> Page {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(token) = token {
        builder = builder.header(header::COOKIE, format!("distr_session={token}"));
    }
    if let Some(origin) = origin {
        builder = builder.header(header::ORIGIN, origin);
    }
    let body = serde_urlencoded::to_string(fields).unwrap();
    send(app, builder.body(Body::from(body)).unwrap()).await
}

/// The CSRF token of a session.
pub fn csrf(token: &str) -> String {
    distr_hub::portal::csrf_token(JWT_KEY, token)
}

/// POSTs a form as the signed-in `token`, with a valid CSRF token and Origin.
pub async fn post(app: &TestApp, path: &str, token: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = csrf(token);
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    post_raw(app, path, Some(token), Some(ORIGIN), &all).await
}

/// Every absolute URL in `text` points at the Hub itself (HS §6.6, item 77).
pub fn assert_no_external_host(text: &str) {
    for scheme in ["http://", "https://"] {
        for (i, _) in text.match_indices(scheme) {
            let tail = &text[i..];
            assert!(
                tail.starts_with(ORIGIN),
                "external reference: {}",
                tail.chars().take(60).collect::<String>()
            );
        }
    }
    for marker in ["=\"//", "='//", "url(", "@import", "@font-face"] {
        assert!(!text.contains(marker), "external asset marker {marker}");
    }
}

/// A docker application with one version; returns (application id, version id).
pub async fn docker_app(app: &TestApp, token: &str, name: &str) -> (String, String) {
    let application = app
        .post(
            "/api/v1/applications",
            token,
            json!({"name": name, "type": "docker"}),
        )
        .await;
    let app_id = application.body["id"].as_str().unwrap().to_owned();
    let version = app
        .post(
            &format!("/api/v1/applications/{app_id}/versions"),
            token,
            json!({"name": "v1", "composeFile": b64(COMPOSE), "templateFile": b64("A=1\n")}),
        )
        .await;
    (app_id, version.body["id"].as_str().unwrap().to_owned())
}

/// A kubernetes application `name` with Helm chart version 1.0.0 (a
/// repository chart with base values) through the API; returns the
/// application and version ids.
pub async fn helm_app(app: &TestApp, token: &str, name: &str) -> (String, String) {
    let application = app
        .post(
            "/api/v1/applications",
            token,
            json!({"name": name, "type": "kubernetes"}),
        )
        .await;
    let app_id = application.body["id"].as_str().unwrap().to_owned();
    let version = app
        .post(
            &format!("/api/v1/applications/{app_id}/versions"),
            token,
            json!({"name": "1.0.0", "chartType": "repository", "chartUrl": "https://charts.example.com",
                   "chartName": "web", "chartVersion": "1.0.0", "valuesFile": b64("replicas: 1\n")}),
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{:?}", version.body);
    (app_id, version.body["id"].as_str().unwrap().to_owned())
}

/// A docker target through the API; returns its id.
pub async fn docker_target(app: &TestApp, token: &str, name: &str, owner: Option<Value>) -> String {
    let mut body = json!({"name": name, "type": "docker"});
    if let Some(owner) = owner {
        body["customerOrganization"] = json!({ "id": owner });
    }
    let target = app.post("/api/v1/deployment-targets", token, body).await;
    assert_eq!(target.status, StatusCode::CREATED, "{:?}", target.body);
    target.body["id"].as_str().unwrap().to_owned()
}

/// Registers agent version `name` and records it as what `target` reports
/// (the version gates of HS §4.2 follow the reported version).
pub async fn report_version(app: &TestApp, target: &str, name: &str) {
    let version = AgentVersion {
        id: AgentVersionId::from_uuid(uuid::Uuid::now_v7()),
        created_at: app.state.clock.now(),
        name: name.to_owned(),
        docker_image_repository: None,
        kubernetes_image_repository: None,
    };
    let stored = app
        .state
        .store
        .upsert_agent_version(&version)
        .await
        .unwrap();
    let target: TargetId = target.parse().unwrap();
    app.state
        .store
        .set_reported_agent_version(target, stored.id)
        .await
        .unwrap();
}
