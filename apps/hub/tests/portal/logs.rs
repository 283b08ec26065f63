//! The deployment detail's Logs and Status log tabs and their live append
//! endpoints with JavaScript off (HS §4.1, §4.4; HS §7 item 74). The
//! exports and redaction are in `exports.rs`.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use distr_domain::deployment::StatusType;
use distr_domain::ids::{DeploymentId, RevisionId, StatusId};
use distr_domain::user::UserRole;
use distr_testkit::builders::DeploymentLogBuilder;
use serde_json::json;

use super::html::{Page, assert_no_external_host, docker_app, docker_target, get};
use super::support::Backend;
use super::support::{Org, TestApp, b64};

pub(super) fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap()
}

/// The RFC 3339 form the page and `X-Distr-After` use for `at(s)`.
pub(super) fn stamp(s: i64) -> String {
    at(s).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

pub(super) struct Deployed {
    pub org: Org,
    pub id: DeploymentId,
    pub revision: RevisionId,
}

/// A deployment on a target of the organization's first customer.
pub(super) async fn deployed(app: &TestApp, logs_enabled: bool) -> Deployed {
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(app, admin, "box", Some(json!(org.customer))).await;
    let (_, version) = docker_app(app, admin, "Shop").await;
    let put = app
        .put(
            "/api/v1/deployments",
            admin,
            json!({"deploymentTargetId": target, "applicationVersionId": version,
                   "envFileData": b64("A=1\n"), "logsEnabled": logs_enabled}),
        )
        .await;
    assert!(put.status.is_success(), "{:?}", put.body);
    Deployed {
        id: put.body["id"].as_str().unwrap().parse().unwrap(),
        revision: put.body["deploymentRevisionId"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
        org,
    }
}

pub(super) async fn logs(app: &TestApp, d: &Deployed, resource: &str, lines: &[(i64, &str)]) {
    let records: Vec<_> = lines
        .iter()
        .map(|(s, body)| {
            DeploymentLogBuilder::new(d.id, d.revision, resource, at(*s))
                .body(body)
                .build()
        })
        .collect();
    app.state
        .store
        .insert_deployment_logs(&records)
        .await
        .unwrap();
}

pub(super) async fn status(app: &TestApp, d: &Deployed, s: i64, kind: StatusType, message: &str) {
    app.state
        .store
        .record_status(
            StatusId::from_uuid(uuid::Uuid::now_v7()),
            d.revision,
            kind,
            message,
            at(s),
        )
        .await
        .unwrap();
}

fn rows(page: &Page) -> usize {
    page.body.matches("<tr data-row-id=").count()
}

/// The href of the "Load older" link, unescaped.
fn older_link(page: &Page) -> Option<String> {
    let end = page.body.find("\">Load older</a>")?;
    let start = page.body[..end].rfind("href=\"")? + "href=\"".len();
    Some(
        page.body[start..end]
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
    )
}

#[tokio::test]
async fn the_logs_tab_says_why_it_is_empty_then_lists_filters_and_pages_per_resource() {
    let app = TestApp::new(Backend::Memory).await;
    let d = deployed(&app, false).await;
    let token = d.org.customer_reader.token.as_str();
    let path = format!("/deployments/{}?tab=logs", d.id);

    let off = get(&app, &path, Some(token)).await;
    assert_eq!(off.status, StatusCode::OK);
    assert!(
        off.body.contains("Logs are off for this deployment"),
        "{}",
        off.body
    );
    assert!(!off.body.contains("No logs yet"));
    let enable = app
        .call(
            Method::PATCH,
            &format!("/api/v1/deployments/{}", d.id),
            Some(&d.org.admin.token),
            Some(json!({"logsEnabled": true})),
        )
        .await;
    assert_eq!(enable.status, StatusCode::OK, "{:?}", enable.body);
    let none = get(&app, &path, Some(token)).await;
    assert!(none.body.contains("No logs yet"));
    assert!(!none.body.contains("Logs are off"));

    let web: Vec<(i64, String)> = (0..30).map(|i| (i, format!("web line {i}"))).collect();
    let web: Vec<(i64, &str)> = web.iter().map(|(s, b)| (*s, b.as_str())).collect();
    logs(&app, &d, "web", &web).await;
    logs(&app, &d, "db", &[(40, "db line")]).await;

    // The resources, the first one chosen by default.
    let first = get(&app, &path, Some(token)).await;
    assert!(
        first
            .body
            .contains(r#"<option value="db" selected>db</option>"#),
        "{}",
        first.body
    );
    assert!(first.body.contains(r#"<option value="web" >web</option>"#));
    assert!(first.body.contains(r#"<select name="resource""#));
    assert!(first.body.contains("db line"));
    assert!(!first.body.contains("web line"));
    assert_no_external_host(&first.body);

    // Filtered by resource, newest first, one page, live on the first page.
    let web_page = get(&app, &format!("{path}&resource=web"), Some(token)).await;
    assert!(
        web_page
            .body
            .contains(r#"<option value="web" selected>web</option>"#)
    );
    assert!(!web_page.body.contains("db line"));
    assert_eq!(rows(&web_page), 25);
    assert!(
        web_page.body.find("web line 29").unwrap() < web_page.body.find("web line 28").unwrap()
    );
    assert!(!web_page.body.contains("web line 4<"));
    assert!(web_page.body.contains(&format!(
        r#"<tbody data-live-rows="/ui/deployments/{}/logs?resource=web" data-after="{}">"#,
        d.id,
        stamp(29)
    )));
    assert!(web_page.body.contains(&format!(
        r#"href="/deployments/{}/logs/export?resource=web""#,
        d.id
    )));
    assert_no_external_host(&web_page.body);

    // "Load older" keeps the resource and is not live.
    let older = older_link(&web_page).expect("load older");
    assert!(older.contains("tab=logs&resource=web&cursor="), "{older}");
    let older_page = get(&app, &older, Some(token)).await;
    assert_eq!(older_page.status, StatusCode::OK);
    assert_eq!(rows(&older_page), 5);
    assert!(older_page.body.contains("web line 4<"));
    assert!(!older_page.body.contains("web line 29"));
    assert!(!older_page.body.contains("data-live-rows"));
    assert!(older_link(&older_page).is_none());

    // A resource without lines shows its own empty state, still live.
    let quiet = get(&app, &format!("{path}&resource=cache"), Some(token)).await;
    assert_eq!(quiet.status, StatusCode::OK);
    assert!(quiet.body.contains("No logs of cache yet."));
    assert!(quiet.body.contains(r#"data-after="">"#));
    assert_eq!(rows(&quiet), 0);

    // Logs turned off later keep the old lines and say so.
    app.call(
        Method::PATCH,
        &format!("/api/v1/deployments/{}", d.id),
        Some(&d.org.admin.token),
        Some(json!({"logsEnabled": false})),
    )
    .await;
    let kept = get(&app, &path, Some(token)).await;
    assert!(kept.body.contains("no new lines arrive"));
    assert!(kept.body.contains("db line"));
}

#[tokio::test]
async fn the_status_tab_renders_live_rows_and_an_export_link() {
    let app = TestApp::new(Backend::Memory).await;
    let d = deployed(&app, true).await;
    let token = d.org.customer_reader.token.as_str();
    let path = format!("/deployments/{}", d.id);
    let empty = get(&app, &path, Some(token)).await;
    assert!(empty.body.contains(r#"class="muted empty-rows" >"#));
    assert!(empty.body.contains(r#"<table id="status-log" hidden>"#));
    assert!(empty.body.contains(&format!(
        r#"<tbody data-live-rows="/ui/deployments/{}/status" data-after="">"#,
        d.id
    )));
    status(&app, &d, 1, StatusType::Progressing, "pulling").await;
    status(&app, &d, 2, StatusType::Healthy, "running").await;
    let page = get(&app, &path, Some(token)).await;
    assert!(
        page.body
            .contains(&format!(r#"data-after="{}">"#, stamp(2)))
    );
    assert!(page.body.contains(r#"<table id="status-log" >"#));
    assert!(
        page.body
            .contains(&format!(r#"href="/deployments/{}/status/export""#, d.id))
    );
    assert_eq!(rows(&page), 2);
    assert_no_external_host(&page.body);
}

#[tokio::test]
async fn the_live_row_endpoints_return_only_newer_rows_and_need_a_session_in_scope() {
    let app = TestApp::new(Backend::Sqlite).await;
    let d = deployed(&app, true).await;
    let token = d.org.customer_reader.token.as_str();
    status(&app, &d, 1, StatusType::Progressing, "pulling").await;
    status(&app, &d, 2, StatusType::Healthy, "running").await;
    let url = format!("/ui/deployments/{}/status", d.id);

    let nothing = get(&app, &format!("{url}?after={}", stamp(2)), Some(token)).await;
    assert_eq!(nothing.status, StatusCode::OK);
    assert_eq!(rows(&nothing), 0);
    assert_eq!(nothing.header("x-distr-after"), "");
    let all = get(&app, &format!("{url}?after="), Some(token)).await;
    assert_eq!(rows(&all), 2);
    assert!(all.header("content-type").starts_with("text/html"));
    assert_eq!(all.header("x-distr-after"), stamp(2));
    assert!(!all.body.contains("<html"), "rows only");

    status(&app, &d, 3, StatusType::Progressing, "restarting").await;
    let newer = get(&app, &format!("{url}?after={}", stamp(2)), Some(token)).await;
    assert_eq!(rows(&newer), 1);
    assert!(newer.body.contains("restarting"));
    assert!(!newer.body.contains("running"));
    assert_eq!(newer.header("x-distr-after"), stamp(3));
    // A repeated report moves the same row: same id, later time.
    status(&app, &d, 4, StatusType::Progressing, "restarting").await;
    let moved = get(&app, &format!("{url}?after={}", stamp(3)), Some(token)).await;
    assert_eq!(rows(&moved), 1);
    assert_eq!(moved.header("x-distr-after"), stamp(4));
    let row_id = |p: &Page| {
        let i = p.body.find("data-row-id=\"").unwrap() + "data-row-id=\"".len();
        p.body[i..i + 36].to_owned()
    };
    assert_eq!(
        row_id(&moved),
        row_id(&newer),
        "replaced in place, not added"
    );

    logs(&app, &d, "web", &[(1, "one"), (2, "two"), (3, "three")]).await;
    let log_url = format!("/ui/deployments/{}/logs?resource=web", d.id);
    let lines = get(&app, &format!("{log_url}&after={}", stamp(1)), Some(token)).await;
    assert_eq!(rows(&lines), 2);
    assert!(lines.body.find("three").unwrap() < lines.body.find("two").unwrap());
    assert!(!lines.body.contains("one"));
    assert_eq!(lines.header("x-distr-after"), stamp(3));
    let unnamed = get(&app, &format!("/ui/deployments/{}/logs", d.id), Some(token)).await;
    assert_eq!(unnamed.status, StatusCode::BAD_REQUEST);
    let bad = get(&app, &format!("{url}?after=yesterday"), Some(token)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Cookie session required (401, not a redirect), and in scope (404).
    for path in [url.as_str(), log_url.as_str()] {
        assert_eq!(get(&app, path, None).await.status, StatusCode::UNAUTHORIZED);
        let stranger = app.org().await;
        assert_eq!(
            get(&app, path, Some(&stranger.admin.token)).await.status,
            StatusCode::NOT_FOUND
        );
        let outsider = app
            .user(
                d.org.id,
                UserRole::ReadOnly,
                Some(d.org.other_customer),
                "pw",
            )
            .await;
        assert_eq!(
            get(&app, path, Some(&outsider.token)).await.status,
            StatusCode::NOT_FOUND
        );
    }
}
