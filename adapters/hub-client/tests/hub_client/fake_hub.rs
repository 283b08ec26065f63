//! A fake Hub on 127.0.0.1:0: scripted answers per path, default answers
//! otherwise, and a record of every request.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use distr_hub_client::HubClientConfig;
use jsonwebtoken::{EncodingKey, Header};

pub const LOGIN: &str = "/api/v1/agent/login";
pub const RESOURCES: &str = "/api/v1/agent/resources";
pub const MANIFEST: &str = "/api/v1/agent/manifest";
pub const STATUS: &str = "/api/v1/agent/status";
pub const METRICS: &str = "/api/v1/agent/metrics";
pub const LOGS: &str = "/api/v1/agent/logs";
pub const AGENT_LOGS: &str = "/api/v1/agent/deployment-target-logs";

pub const TARGET_ID: &str = "0e6a33f1-7d8c-4c64-9a8c-3f4cfb0c1a11";
pub const TARGET_SECRET: &str = "0123456789abcdef0123456789abcdef";
pub const VERSION: &str = "9.9.9-test";

pub const RESOURCE_JSON: &str = r#"{"version":{"id":"00000000-0000-0000-0000-0000000000aa","createdAt":"2026-01-01T00:00:00Z","name":"1.0.0"},"metricsEnabled":true,"deployments":[{"id":"00000000-0000-0000-0000-0000000000d1","revisionId":"00000000-0000-0000-0000-0000000000e1","composeFile":"bmFtZTogZGlzdHItMDAwMDAwMDAK","envFile":null,"dockerType":"compose","logsEnabled":true}]}"#;

/// One request as the fake Hub saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    }

    pub fn bearer(&self) -> String {
        self.header("authorization")
            .unwrap()
            .strip_prefix("Bearer ")
            .unwrap()
            .to_owned()
    }
}

/// A scripted answer; `delay` is waited before answering.
#[derive(Debug, Clone)]
pub struct Scripted {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Scripted {
    pub fn status(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Debug, Default)]
struct Shared {
    requests: Vec<Recorded>,
    scripts: HashMap<String, VecDeque<Scripted>>,
    login_ttl_secs: i64,
    issued: Vec<String>,
}

#[derive(Debug)]
pub struct FakeHub {
    pub base: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeHub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeHub {
    pub async fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared {
            login_ttl_secs: 3600,
            ..Shared::default()
        }));
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { base, shared, task }
    }

    pub fn config(&self) -> HubClientConfig {
        let url = |path: &str| format!("{}{path}", self.base);
        HubClientConfig {
            target_id: TARGET_ID.to_owned(),
            target_secret: TARGET_SECRET.to_owned(),
            login_endpoint: url(LOGIN),
            manifest_endpoint: url(MANIFEST),
            resources_endpoint: url(RESOURCES),
            status_endpoint: url(STATUS),
            metrics_endpoint: url(METRICS),
            logs_endpoint: url(LOGS),
            agent_logs_endpoint: url(AGENT_LOGS),
            user_agent_version: VERSION.to_owned(),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
        }
    }

    /// Queues answers for `path`, used before the default answer.
    pub fn script(&self, path: &str, answers: impl IntoIterator<Item = Scripted>) {
        self.shared
            .lock()
            .unwrap()
            .scripts
            .entry(path.to_owned())
            .or_default()
            .extend(answers);
    }

    /// Lifetime of the tokens minted by later logins.
    pub fn set_login_ttl(&self, secs: i64) {
        self.shared.lock().unwrap().login_ttl_secs = secs;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().unwrap().requests.clone()
    }

    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|request| request.path == path)
            .collect()
    }

    /// Tokens minted by successful default logins, oldest first.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.lock().unwrap().issued.clone()
    }
}

async fn handle(State(shared): State<Arc<Mutex<Shared>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap().to_vec();
    let path = parts.uri.path().to_owned();
    let scripted = {
        let mut shared = shared.lock().unwrap();
        shared.requests.push(Recorded {
            method: parts.method.to_string(),
            path: path.clone(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts.headers.clone(),
            body,
        });
        shared.scripts.get_mut(&path).and_then(VecDeque::pop_front)
    };
    if let Some(answer) = scripted {
        tokio::time::sleep(answer.delay).await;
        let mut response = Response::builder().status(answer.status);
        for (name, value) in answer.headers {
            response = response.header(name, value);
        }
        return response.body(Body::from(answer.body)).unwrap();
    }
    match path.as_str() {
        LOGIN => {
            let token = {
                let mut shared = shared.lock().unwrap();
                let token = mint(shared.login_ttl_secs);
                shared.issued.push(token.clone());
                token
            };
            // Distr 2.7 labels the login body text/plain.
            (
                [("content-type", "text/plain; charset=utf-8")],
                format!("{{\"token\":\"{token}\"}}\n"),
            )
                .into_response()
        }
        RESOURCES => (
            [("content-type", "application/json"), ("etag", "\"e1\"")],
            RESOURCE_JSON,
        )
            .into_response(),
        MANIFEST => ([("content-type", "application/yaml")], "name: distr\n").into_response(),
        STATUS | METRICS => StatusCode::OK.into_response(),
        LOGS | AGENT_LOGS => StatusCode::NO_CONTENT.into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// An HS256 agent JWT expiring `ttl_secs` from now; a counter makes every
/// token distinct.
pub fn mint(ttl_secs: i64) -> String {
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    let now = chrono::Utc::now().timestamp();
    let claims = serde_json::json!({
        "sub": TARGET_ID,
        "org": "00000000-0000-0000-0000-0000000000b0",
        "aud": ["agent"],
        "iat": now,
        "nbf": now,
        "exp": now + ttl_secs,
        "serial": SERIAL.fetch_add(1, Ordering::Relaxed),
    });
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(b"fake-hub-key"),
    )
    .unwrap()
}
