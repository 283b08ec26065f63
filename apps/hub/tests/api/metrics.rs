//! `GET /metrics` (HS §3.10, §6.5, §7 item 68): every series, moving
//! counts, route templates as labels, no UUID in any label value, and the
//! bearer token.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use distr_domain::retention::RetentionJob;
use serde_json::json;
use tower::ServiceExt as _;

use super::support::{Backend, TestApp, b64};

/// Every §6.5 family.
const FAMILIES: [&str; 11] = [
    "distr_http_requests_total",
    "distr_http_request_duration_seconds",
    "distr_agent_requests_total",
    "distr_agent_longpolls_held",
    "distr_targets",
    "distr_deployments",
    "distr_retention_rows_deleted_total",
    "distr_retention_last_success_timestamp_seconds",
    "distr_db_pool_connections",
    "distr_build_info",
    // The histogram's samples.
    "distr_http_request_duration_seconds_bucket",
];

/// One parsed sample line.
#[derive(Debug, Clone, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// `GET /metrics` with an optional `Authorization` value: (status, body).
async fn scrape_with(app: &TestApp, authorization: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::builder().method(Method::GET).uri("/metrics");
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    if status == StatusCode::OK {
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/plain; version=0.0.4; charset=utf-8"
        );
    }
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn scrape(app: &TestApp) -> Vec<Sample> {
    let (status, text) = scrape_with(app, None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    parse(&text)
}

/// Parses the text exposition strictly: `# HELP`/`# TYPE` before a family's
/// samples, `name{label="value",…} number` lines, escapes in label values.
fn parse(text: &str) -> Vec<Sample> {
    let mut typed: BTreeMap<String, String> = BTreeMap::new();
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("TYPE line");
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            assert!(
                typed.insert(name.to_owned(), kind.to_owned()).is_none(),
                "{line}"
            );
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        assert!(
            !line.is_empty() && !line.starts_with('#'),
            "stray line {line:?}"
        );
        let name_end = line.find(['{', ' ']).expect("sample name");
        let name = &line[..name_end];
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| {
                name.strip_suffix(suffix)
                    .filter(|base| typed.get(*base).is_some_and(|k| k == "histogram"))
            })
            .unwrap_or(name);
        assert!(typed.contains_key(family), "sample before its TYPE: {line}");
        let mut rest = &line[name_end..];
        let mut labels = BTreeMap::new();
        if let Some(inner) = rest.strip_prefix('{') {
            let mut chars = inner.char_indices().peekable();
            let mut key = String::new();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '}' => {
                        end = Some(i);
                        break;
                    }
                    ',' => {}
                    '=' => {
                        assert_eq!(chars.next().map(|(_, c)| c), Some('"'), "{line}");
                        let mut value = String::new();
                        loop {
                            match chars.next().expect("closing quote").1 {
                                '"' => break,
                                '\\' => match chars.next().expect("escape").1 {
                                    'n' => value.push('\n'),
                                    c @ ('\\' | '"') => value.push(c),
                                    other => panic!("bad escape \\{other} in {line}"),
                                },
                                c => value.push(c),
                            }
                        }
                        labels.insert(std::mem::take(&mut key), value);
                    }
                    c => key.push(c),
                }
            }
            let end = end.expect("closing brace");
            rest = &inner[end + 1..];
        }
        let value = rest.strip_prefix(' ').expect("space before the value");
        let value = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("bad value in {line}")),
        };
        samples.push(Sample {
            name: name.to_owned(),
            labels,
            value,
        });
    }
    samples
}

/// The value of the sample `name` whose labels include `labels`, if any.
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| {
            s.name == name
                && labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
}

/// Whether `text` contains a UUID in its 8-4-4-4-12 hex form.
fn contains_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(36).any(|w| {
        w.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
    })
}

/// A docker target with a logged-in agent; returns (target id, agent JWT).
async fn agent(app: &TestApp, admin: &str) -> (String, String) {
    let created = app
        .post(
            "/api/v1/deployment-targets",
            admin,
            json!({"name": format!("m{}", uuid::Uuid::new_v4().simple()), "type": "docker"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let access = app
        .post(
            &format!("/api/v1/deployment-targets/{id}/access-request"),
            admin,
            json!({}),
        )
        .await;
    assert_eq!(access.status, StatusCode::OK, "{:?}", access.body);
    let secret = access.body["targetSecret"].as_str().unwrap();
    let login = Request::post("/api/v1/agent/login")
        .header(
            header::AUTHORIZATION,
            format!("Basic {}", b64(&format!("{id}:{secret}"))),
        )
        .header(header::USER_AGENT, "DistrAgentClient/2.8.0")
        .body(Body::empty())
        .unwrap();
    let login = app.send(login).await;
    assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
    (id, login.body["token"].as_str().unwrap().to_owned())
}

async fn agent_get(app: &TestApp, path: &str, token: &str) -> StatusCode {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::USER_AGENT, "DistrAgentClient/2.8.0")
        .body(Body::empty())
        .unwrap();
    app.send(request).await.status
}

/// HS §7 item 68: after user and agent requests and a retention run, the
/// scrape holds every §6.5 series, counts move, routes are templates, and
/// no label value is a UUID.
async fn scrape_has_every_series_and_no_uuid_label(app: TestApp, backend: Backend) {
    let org = app.org().await;
    let admin = org.admin.token.clone();
    let (target, token) = agent(&app, &admin).await;
    assert_eq!(
        agent_get(&app, "/api/v1/agent/resources", &token).await,
        StatusCode::OK
    );
    assert_eq!(
        agent_get(&app, "/api/v1/agent/resources", "not-a-jwt").await,
        StatusCode::UNAUTHORIZED
    );
    let missing = uuid::Uuid::now_v7();
    assert_eq!(
        app.get(&format!("/api/v1/deployment-targets/{missing}"), &admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/deployment-targets/{target}"), &admin)
            .await
            .status,
        StatusCode::OK
    );
    let unmatched = app
        .call(Method::GET, &format!("/nothing/{missing}"), None, None)
        .await;
    assert_eq!(unmatched.status, StatusCode::NOT_FOUND);

    // A retention run reports its deletions and its success.
    let mut config = (*app.state.config).clone();
    config.metrics_entries_max_age = Some(std::time::Duration::from_secs(3600));
    let runner = distr_hub::retention::Runner::new(
        Arc::clone(&app.state.store),
        Arc::clone(&app.state.clock),
        Arc::new(config),
        Arc::clone(&app.state.metrics) as Arc<dyn distr_hub::retention::RetentionObserver>,
    );
    let (_tx, shutdown) = tokio::sync::watch::channel(false);
    let report = runner
        .run(
            RetentionJob::DeploymentTargetMetrics,
            app.state.clock.now(),
            None,
            &shutdown,
        )
        .await
        .unwrap();
    assert_eq!(report.outcome, distr_hub::retention::Outcome::Done);

    let (_, text) = scrape_with(&app, None).await;
    let samples = parse(&text);
    for family in FAMILIES {
        let pool_less = family == "distr_db_pool_connections" && backend == Backend::Memory;
        assert_eq!(
            samples
                .iter()
                .any(|s| s.name == family || s.name == format!("{family}_count")),
            !pool_less,
            "{family} in\n{text}"
        );
    }
    for sample in &samples {
        for (label, value) in &sample.labels {
            assert!(
                !contains_uuid(value),
                "{}{{{label}={value:?}}} holds a UUID",
                sample.name
            );
        }
    }
    assert!(!contains_uuid(&text), "a UUID in the scrape:\n{text}");

    // Route templates, never raw paths; unmatched paths share one label.
    let user_route = [
        ("route", "/api/v1/deployment-targets/{id}"),
        ("method", "GET"),
    ];
    let ok = [user_route[0], user_route[1], ("status", "200")];
    let not_found = [user_route[0], user_route[1], ("status", "404")];
    assert_eq!(value(&samples, "distr_http_requests_total", &ok), Some(1.0));
    assert_eq!(
        value(&samples, "distr_http_requests_total", &not_found),
        Some(1.0)
    );
    assert_eq!(
        value(
            &samples,
            "distr_http_requests_total",
            &[("route", "unmatched"), ("status", "404")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &samples,
            "distr_http_request_duration_seconds_count",
            &[("route", "/api/v1/deployment-targets/{id}")]
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            &samples,
            "distr_http_request_duration_seconds_bucket",
            &[("route", "/api/v1/deployment-targets/{id}"), ("le", "+Inf")]
        ),
        Some(2.0)
    );
    // Agent routes also count per endpoint.
    let agent_ok = [("endpoint", "/agent/resources"), ("status", "200")];
    let agent_401 = [("endpoint", "/agent/resources"), ("status", "401")];
    assert_eq!(
        value(&samples, "distr_agent_requests_total", &agent_ok),
        Some(1.0)
    );
    assert_eq!(
        value(&samples, "distr_agent_requests_total", &agent_401),
        Some(1.0)
    );
    assert_eq!(
        value(
            &samples,
            "distr_agent_requests_total",
            &[("endpoint", "/agent/login"), ("status", "200")]
        ),
        Some(1.0)
    );
    assert!(
        !samples
            .iter()
            .any(|s| s.name == "distr_agent_requests_total"
                && s.labels["endpoint"].contains("deployment-targets")),
        "user routes are not agent endpoints"
    );
    assert_eq!(
        value(&samples, "distr_agent_longpolls_held", &[]),
        Some(0.0)
    );

    // One connected target (the agent's), no deployments.
    assert_eq!(
        value(
            &samples,
            "distr_targets",
            &[("connection_state", "connected")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&samples, "distr_targets", &[("connection_state", "stale")]),
        Some(0.0)
    );
    assert_eq!(
        value(&samples, "distr_deployments", &[("health", "no_status")]),
        Some(0.0)
    );
    let job = [("job", "DeploymentTargetMetrics")];
    assert_eq!(
        value(&samples, "distr_retention_rows_deleted_total", &job),
        Some(0.0)
    );
    let last = value(
        &samples,
        "distr_retention_last_success_timestamp_seconds",
        &job,
    )
    .unwrap();
    let now = app.state.clock.now().timestamp() as f64;
    assert!((now - last).abs() < 60.0, "last success {last}, now {now}");
    assert_eq!(
        value(
            &samples,
            "distr_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        Some(1.0)
    );
    if backend != Backend::Memory {
        assert!(value(&samples, "distr_db_pool_connections", &[("state", "idle")]).is_some());
        assert!(
            value(
                &samples,
                "distr_db_pool_connections",
                &[("state", "in_use")]
            )
            .is_some()
        );
    }

    // Counts move: one more request is one more in its series; the
    // scrapes themselves count under `/metrics`.
    app.get(&format!("/api/v1/deployment-targets/{target}"), &admin)
        .await;
    let again = scrape(&app).await;
    assert_eq!(value(&again, "distr_http_requests_total", &ok), Some(2.0));
    assert_eq!(
        value(
            &again,
            "distr_http_requests_total",
            &[("route", "/metrics"), ("method", "GET"), ("status", "200")]
        ),
        Some(1.0)
    );
}

#[tokio::test]
async fn scrape_on_memory() {
    let app = TestApp::new(Backend::Memory).await;
    scrape_has_every_series_and_no_uuid_label(app, Backend::Memory).await;
}

#[tokio::test]
async fn scrape_on_sqlite() {
    let app = TestApp::new(Backend::Sqlite).await;
    scrape_has_every_series_and_no_uuid_label(app, Backend::Sqlite).await;
}

#[tokio::test]
async fn scrape_on_postgres() {
    let app = TestApp::new(Backend::Postgres).await;
    scrape_has_every_series_and_no_uuid_label(app, Backend::Postgres).await;
}

/// Fleet gauges are cached: a target created right after a scrape does not
/// show until the cache is 15 s old.
#[tokio::test]
async fn fleet_gauges_are_recomputed_at_most_every_15_seconds() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let first = scrape(&app).await;
    let never = [("connection_state", "not_connected")];
    assert_eq!(value(&first, "distr_targets", &never), Some(0.0));
    let created = app
        .post(
            "/api/v1/deployment-targets",
            &org.admin.token,
            json!({"name": "later", "type": "docker"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let cached = scrape(&app).await;
    assert_eq!(value(&cached, "distr_targets", &never), Some(0.0));
}

#[tokio::test]
async fn bearer_token_guards_the_scrape() {
    let app = TestApp::with_config(Backend::Memory, |c| {
        c.metrics_bearer_token = Some("scrape-secret".to_owned());
    })
    .await;
    for wrong in [
        None,
        Some("Bearer scrape-secre"),
        Some("Bearer scrape-secret2"),
        Some("Basic scrape-secret"),
    ] {
        let (status, text) = scrape_with(&app, wrong).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert!(!text.contains("distr_"), "{text}");
    }
    let (status, text) = scrape_with(&app, Some("Bearer scrape-secret")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("distr_build_info"));
}

#[tokio::test]
async fn separate_listener_removes_metrics_from_the_main_router() {
    let app = TestApp::with_config(Backend::Memory, |c| {
        c.metrics_listen_addr = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let (status, _) = scrape_with(&app, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let only = distr_hub::router::build_metrics_router(app.state.clone());
    let response = only
        .clone()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = only
        .oneshot(Request::get("/status").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[test]
fn uuid_detection_finds_uuids_only() {
    assert!(contains_uuid("x/0190c5a8-6d1e-7cc3-9a55-aabbccddeeff/y"));
    assert!(!contains_uuid("/api/v1/deployment-targets/{id}"));
    assert!(!contains_uuid("0190c5a86d1e7cc39a55aabbccddeeff"));
}
