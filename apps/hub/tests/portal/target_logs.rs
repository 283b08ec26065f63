//! The target detail's agent logs beyond the page (HS §4.1, §4.4): the
//! export under the session, live append through `/ui/`, the charts fragment,
//! and their scope checks.

use axum::http::StatusCode;
use distr_domain::ids::LogRecordId;
use distr_domain::telemetry::TargetLogRecord;
use serde_json::json;

use super::html::{docker_target, get};
use super::support::{Backend, TestApp};

async fn agent_log(
    app: &TestApp,
    target: &str,
    minutes_ago: i64,
    body: &str,
) -> chrono::DateTime<chrono::Utc> {
    let at = app.state.clock.now() - chrono::Duration::minutes(minutes_ago);
    app.state
        .store
        .insert_target_logs(&[TargetLogRecord {
            id: LogRecordId::from_uuid(uuid::Uuid::now_v7()),
            deployment_target_id: target.parse().unwrap(),
            created_at: at,
            timestamp: at,
            severity: "INFO".to_owned(),
            body: body.to_owned(),
        }])
        .await
        .unwrap();
    at
}

fn after(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

#[tokio::test]
async fn agent_logs_export_and_live_rows_stay_in_scope_and_return_only_newer_rows() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "edge", Some(json!(org.customer))).await;
    let path = format!("/deployment-targets/{target}");
    let empty = get(&app, &path, Some(admin)).await;
    assert!(
        empty.body.contains(r#"class="muted empty-rows" >"#)
            || empty.body.contains("class=\"muted empty-rows\">")
    );
    assert!(empty.body.contains(&format!(
        r#"<tbody data-live-rows="/ui/deployment-targets/{target}/logs" data-after="">"#
    )));
    let ui = format!("/ui/deployment-targets/{target}/logs");
    let none = get(&app, &ui, Some(admin)).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(!none.body.contains("<tr"));
    assert_eq!(none.header("x-distr-after"), "");

    agent_log(&app, &target, 3, "first line").await;
    let second = agent_log(&app, &target, 2, "second line").await;
    let page = get(&app, &path, Some(admin)).await;
    assert!(page.body.contains(&format!(
        r#"data-live-rows="/ui/deployment-targets/{target}/logs" data-after="{}""#,
        after(second)
    )));
    assert!(page.body.contains("<tr data-row-id="));
    assert!(page.body.contains(&format!("href=\"{path}/logs/export\"")));

    let quiet = get(&app, &format!("{ui}?after={}", after(second)), Some(admin)).await;
    assert!(!quiet.body.contains("<tr"), "nothing newer: {}", quiet.body);
    let third = agent_log(&app, &target, 1, "third <line>").await;
    let newer = get(&app, &format!("{ui}?after={}", after(second)), Some(admin)).await;
    assert_eq!(newer.status, StatusCode::OK);
    assert!(newer.header("content-type").starts_with("text/html"));
    assert!(
        newer.body.contains("third &#60;line&#62;"),
        "{}",
        newer.body
    );
    assert!(!newer.body.contains("second line"));
    assert_eq!(newer.body.matches("<tr data-row-id=").count(), 1);
    assert_eq!(newer.header("x-distr-after"), after(third));
    let all = get(&app, &ui, Some(&org.customer_reader.token)).await;
    let (at3, at1) = (
        all.body.find("third").unwrap(),
        all.body.find("first line").unwrap(),
    );
    assert!(at3 < at1, "newest first");
    let bad = get(&app, &format!("{ui}?after=yesterday"), Some(admin)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let export = get(
        &app,
        &format!("{path}/logs/export"),
        Some(&org.customer_admin.token),
    )
    .await;
    assert_eq!(export.status, StatusCode::OK);
    let api = app
        .get(
            &format!("/api/v1/deployment-targets/{target}/logs/export"),
            admin,
        )
        .await;
    assert_eq!(
        export.header("content-disposition"),
        api.headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
    );
    assert!(
        export
            .header("content-disposition")
            .contains(&format!("deployment-target-{target}-logs.txt"))
    );
    assert!(export.header("content-type").starts_with("text/plain"));
    let (f, t) = (
        export.body.find("first line").unwrap(),
        export.body.find("third <line>").unwrap(),
    );
    assert!(f < t, "oldest line first");

    let charts = get(
        &app,
        &format!("/ui/deployment-targets/{target}/charts?range=6h"),
        Some(admin),
    )
    .await;
    assert_eq!(charts.status, StatusCode::OK);
    assert!(charts.body.contains("id=\"cpu-chart\"") && charts.body.contains("<svg"));

    let stranger = app.org().await;
    let outsider = app
        .user(
            org.id,
            distr_domain::user::UserRole::Admin,
            Some(org.other_customer),
            "pw",
        )
        .await;
    for token in [stranger.admin.token.as_str(), outsider.token.as_str()] {
        for url in [
            format!("{path}/logs/export"),
            ui.clone(),
            format!("/ui/deployment-targets/{target}/charts?range=1h"),
        ] {
            assert_eq!(
                get(&app, &url, Some(token)).await.status,
                StatusCode::NOT_FOUND,
                "{url}"
            );
        }
    }
    assert_eq!(get(&app, &ui, None).await.status, StatusCode::UNAUTHORIZED);

    for n in 0..30 {
        agent_log(&app, &target, 100 + n, &format!("old {n}")).await;
    }
    let first = get(&app, &path, Some(admin)).await;
    let at = first.body.find("cursor=").expect("load older") + "cursor=".len();
    let cursor: String = first.body[at..]
        .chars()
        .take_while(|c| *c != '#' && *c != '"')
        .collect();
    let older = get(&app, &format!("{path}?cursor={cursor}"), Some(admin)).await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(older.body.contains("<tr data-row-id="));
    assert!(
        !older.body.contains("data-live-rows"),
        "no live append on older pages"
    );
}
