//! `/deployments`, `/ui/health` and the connect flow (HS §4.3–§4.5; HS §7
//! items 38, 39, 40, 41, 76, 77). The cards' gauges, badge and menu are in
//! `cards.rs`.

use axum::http::StatusCode;
use distr_domain::deployment::StatusType;
use distr_domain::ids::{RevisionId, StatusId, TargetId};
use serde_json::json;

use super::html::{assert_no_external_host, docker_app, docker_target, get, post};
use super::support::{Backend, TestApp, b64};

async fn heartbeat(app: &TestApp, target: &str, seconds_ago: i64) {
    let id: TargetId = target.parse().unwrap();
    let at = app.state.clock.now() - chrono::Duration::seconds(seconds_ago);
    app.state
        .store
        .record_heartbeat(id, at, "OK")
        .await
        .unwrap();
}

async fn status(app: &TestApp, revision: &str, kind: StatusType, seconds_ago: i64) {
    let revision: RevisionId = revision.parse().unwrap();
    let at = app.state.clock.now() - chrono::Duration::seconds(seconds_ago);
    app.state
        .store
        .record_status(
            StatusId::from_uuid(uuid::Uuid::now_v7()),
            revision,
            kind,
            "reported",
            at,
        )
        .await
        .unwrap();
}

/// The dot and label of the element `data-<attr>="<id>"` in `body`.
fn dot_of(body: &str, attr: &str, id: &str) -> (String, String) {
    let start = body
        .find(&format!(r#"data-{attr}="{id}""#))
        .unwrap_or_else(|| panic!("{attr} {id} missing"));
    let rest = &body[start..];
    let dot = rest.find("class=\"dot dot-").unwrap() + "class=\"dot dot-".len();
    let colour: String = rest[dot..].chars().take_while(|c| *c != '"').collect();
    let label_at = rest.find("class=\"dot-label\">").unwrap() + "class=\"dot-label\">".len();
    let label: String = rest[label_at..].chars().take_while(|c| *c != '<').collect();
    (colour, label)
}

#[tokio::test]
async fn all_target_states_and_all_deployment_states_render_their_dots_and_labels() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let never = docker_target(&app, admin, "never", None).await;
    let live = docker_target(&app, admin, "live", None).await;
    let quiet = docker_target(&app, admin, "quiet", None).await;
    heartbeat(&app, &live, 0).await;
    heartbeat(&app, &quiet, 120).await;
    let (_, version) = docker_app(&app, admin, "Shop").await;
    let mut deployments = Vec::new();
    for _ in 0..6 {
        let put = app
            .put(
                "/api/v1/deployments",
                admin,
                json!({"deploymentTargetId": live, "applicationVersionId": version, "envFileData": b64("A=1\n")}),
            )
            .await;
        assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
        deployments.push((
            put.body["id"].as_str().unwrap().to_owned(),
            put.body["deploymentRevisionId"]
                .as_str()
                .unwrap()
                .to_owned(),
        ));
    }
    status(&app, &deployments[1].1, StatusType::Error, 600).await;
    status(&app, &deployments[2].1, StatusType::Running, 120).await;
    status(&app, &deployments[3].1, StatusType::Progressing, 0).await;
    status(&app, &deployments[4].1, StatusType::Running, 0).await;
    status(&app, &deployments[5].1, StatusType::Healthy, 0).await;

    let page = get(&app, "/deployments", Some(admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let expect_target = [
        (&never, "grey", "Not connected"),
        (&live, "green", "Connected"),
        (&quiet, "yellow", "Stale"),
    ];
    for (id, colour, label) in expect_target {
        assert_eq!(dot_of(body, "target", id), (colour.into(), label.into()));
        assert!(body.contains(&format!(r#"aria-label="{label}""#)));
    }
    let expect_deployment = [
        ("grey", "No status"),
        ("red", "Error"),
        ("yellow", "Stale"),
        ("blue", "Progressing"),
        ("ring", "Running"),
        ("green", "Healthy"),
    ];
    for ((id, _), (colour, label)) in deployments.iter().zip(expect_deployment) {
        assert_eq!(
            dot_of(body, "deployment", id),
            (colour.into(), label.into())
        );
    }
    assert!(
        body.contains("applying new revision…"),
        "no-status row is pending"
    );
    assert_no_external_host(body);

    let ui = get(&app, "/ui/health", Some(admin)).await;
    let json: serde_json::Value = serde_json::from_str(&ui.body).unwrap();
    let targets = json["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 3);
    let live_json = targets.iter().find(|t| t["id"] == live.as_str()).unwrap();
    assert_eq!(live_json["colour"], "green");
    assert_eq!(live_json["deployments"][5]["label"], "Healthy");
}

#[tokio::test]
async fn connect_only_on_never_seen_targets_and_reconnect_only_on_stale_ones() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let never = docker_target(&app, admin, "never", None).await;
    let live = docker_target(&app, admin, "live", None).await;
    let quiet = docker_target(&app, admin, "quiet", None).await;
    heartbeat(&app, &live, 0).await;
    heartbeat(&app, &quiet, 120).await;
    let body = get(&app, "/deployments", Some(admin)).await.body;
    let card = |id: &str| {
        let start = body.find(&format!(r#"data-target="{id}""#)).unwrap();
        let end = body[start..].find("</article>").unwrap() + start;
        body[start..end].to_owned()
    };
    assert!(card(&never).contains(">Connect</a>"));
    assert!(!card(&never).contains("Reconnect"));
    assert!(card(&quiet).contains(">Reconnect</a>"));
    assert!(!card(&live).contains("Connect</a>"), "connected: neither");
    let refused = post(
        &app,
        &format!("/deployment-targets/{live}/connect"),
        admin,
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let warning = get(
        &app,
        &format!("/deployment-targets/{quiet}/connect"),
        Some(admin),
    )
    .await;
    assert!(warning.body.contains("stops working"));
    let reader = get(&app, "/deployments", Some(&org.reader.token))
        .await
        .body;
    assert!(!reader.contains("Connect</a>"), "read-only: no connect");
    assert!(!reader.contains("Deploy app"), "read-only: no deploy");
}

#[tokio::test]
async fn the_connect_command_is_shown_once_with_no_store_and_never_in_a_url_or_cookie() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "edge", None).await;
    let path = format!("/deployment-targets/{target}/connect");
    let confirm = get(&app, &path, Some(admin)).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        !confirm.body.contains("targetSecret="),
        "GET rotates nothing"
    );
    let at =
        confirm.body.find(r#"name="issued" value=""#).unwrap() + r#"name="issued" value=""#.len();
    let issued: String = confirm.body[at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let shown = post(&app, &path, admin, &[("issued", &issued)]).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.header("cache-control"), "no-store");
    assert!(shown.header("location").is_empty());
    assert!(shown.header("set-cookie").is_empty());
    let start = shown.body.find("curl -fsSL &#39;").expect("the command");
    assert!(shown.body[start..].contains("targetSecret="));
    assert!(shown.body[start..].contains("| docker compose -f - up -d"));
    let resubmitted = post(&app, &path, admin, &[("issued", &issued)]).await;
    assert_eq!(
        resubmitted.status,
        StatusCode::CONFLICT,
        "a reload re-posts: no second command"
    );
    assert!(!resubmitted.body.contains("targetSecret="));
    let reload = get(&app, "/deployments", Some(admin)).await;
    assert!(!reload.body.contains("targetSecret="));
    let again = get(&app, &path, Some(admin)).await;
    assert!(!again.body.contains("targetSecret="));
}

#[tokio::test]
async fn a_customer_sees_only_their_targets_and_no_applications_navigation() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    docker_target(&app, admin, "vendor-box", None).await;
    docker_target(&app, admin, "mine", Some(json!(org.customer))).await;
    docker_target(&app, admin, "theirs", Some(json!(org.other_customer))).await;
    let vendor = get(&app, "/deployments", Some(admin)).await.body;
    assert!(vendor.contains(r#"href="/applications""#));
    assert!(vendor.contains("<h2>Internal</h2>"));
    let page = get(&app, "/deployments", Some(&org.customer_writer.token)).await;
    assert!(page.body.contains("mine"));
    assert!(!page.body.contains("vendor-box"));
    assert!(!page.body.contains("theirs"));
    assert!(!page.body.contains(r#"href="/applications""#));
    assert!(!page.body.contains(r#"href="/customers""#));
    let empty = TestApp::new(Backend::Memory).await;
    let org = empty.org().await;
    let first = get(&empty, "/deployments", Some(&org.customer_writer.token)).await;
    assert!(first.body.contains("Create your first target"));
}
