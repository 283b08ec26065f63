//! The target cards of `/deployments` (HS §4.4): CPU and memory gauges of
//! the newest sample only when metrics are on, the "Update agent" badge only
//! when a newer agent is registered, the card menu (writes for writers),
//! and the "update available" tag only for a newer non-archived version.

use axum::http::StatusCode;
use distr_domain::ids::{AgentVersionId, MetricsSampleId};
use distr_domain::target::AgentVersion;
use distr_domain::telemetry::MetricsSample;
use serde_json::json;

use super::html::{assert_no_external_host, docker_app, docker_target, get};
use super::support::{Backend, COMPOSE, TestApp, b64};

/// The `<article>` of target `id` on the overview `body`.
fn card_of(body: &str, id: &str) -> String {
    let start = body
        .find(&format!(r#"data-target="{id}""#))
        .unwrap_or_else(|| panic!("target {id} missing"));
    let end = body[start..].find("</article>").unwrap() + start;
    body[start..end].to_owned()
}

async fn sample(app: &TestApp, target: &str, minutes_ago: i64, cpu: f64, memory: f64) {
    let at = app.state.clock.now() - chrono::Duration::minutes(minutes_ago);
    app.state
        .store
        .insert_metrics(&MetricsSample {
            id: MetricsSampleId::from_uuid(uuid::Uuid::now_v7()),
            deployment_target_id: target.parse().unwrap(),
            created_at: at,
            cpu_cores_millis: 2000,
            cpu_usage: cpu,
            memory_bytes: 4_000_000_000,
            memory_usage: memory,
        })
        .await
        .unwrap();
}

async fn cards_show_the_newest_samples_gauges_only_when_metrics_are_on(app: TestApp) {
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let metered = docker_target(&app, admin, "metered", None).await;
    let fresh = docker_target(&app, admin, "fresh", None).await;
    let created = app
        .post(
            "/api/v1/deployment-targets",
            admin,
            json!({"name": "unmetered", "type": "docker", "metricsEnabled": false}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let unmetered = created.body["id"].as_str().unwrap().to_owned();
    sample(&app, &metered, 10, 0.9, 0.1).await;
    sample(&app, &metered, 1, 0.25, 0.5).await;
    sample(&app, &unmetered, 1, 0.75, 0.75).await;
    let page = get(&app, "/deployments", Some(admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_no_external_host(&page.body);
    let live = page.body.find(r#"id="overview""#).unwrap();
    let card = card_of(&page.body, &metered);
    assert!(
        page.body
            .find(&format!(r#"data-target="{metered}""#))
            .unwrap()
            > live,
        "the gauges are inside the live fragment the script reloads"
    );
    assert!(
        card.contains(r#"<span class="gauge-name">CPU</span>"#),
        "{card}"
    );
    assert!(
        card.contains(
            r#"<span class="gauge-value">25%</span> <span class="muted">of 2 cores</span>"#
        ),
        "the newest sample's CPU as text, with the cores: {card}"
    );
    assert!(card.contains(r#"class="gauge-fill" width="25.0""#));
    assert!(card.contains(r#"<span class="gauge-name">Memory</span>"#));
    assert!(
        card.contains(
            r#"<span class="gauge-value">50%</span> <span class="muted">of 3.7 GiB</span>"#
        )
    );
    assert!(!card.contains("90%"), "an older sample is not shown");
    assert!(!card.contains("No metrics yet"));
    let empty = card_of(&page.body, &fresh);
    assert!(empty.contains("No metrics yet"));
    assert!(!empty.contains("gauge-fill"));
    let off = card_of(&page.body, &unmetered);
    assert!(!off.contains("gauge"), "metrics off: no gauge: {off}");
    assert!(!off.contains("No metrics yet"), "metrics off: nothing");
    assert!(!off.contains("75%"));
    let ui = get(&app, "/ui/health", Some(admin)).await;
    assert_eq!(ui.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&ui.body).unwrap();
    assert_eq!(json["targets"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn cards_show_the_newest_samples_gauges_only_when_metrics_are_on_memory() {
    cards_show_the_newest_samples_gauges_only_when_metrics_are_on(
        TestApp::new(Backend::Memory).await,
    )
    .await;
}

#[tokio::test]
async fn cards_show_the_newest_samples_gauges_only_when_metrics_are_on_sqlite() {
    cards_show_the_newest_samples_gauges_only_when_metrics_are_on(
        TestApp::new(Backend::Sqlite).await,
    )
    .await;
}

#[tokio::test]
async fn the_update_agent_badge_shows_only_when_a_newer_agent_exists() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "box", None).await;
    let badge = format!(r#"href="/deployment-targets/{target}#agent">Update agent</a>"#);
    let before = get(&app, "/deployments", Some(admin)).await.body;
    assert!(
        !card_of(&before, &target).contains("Update agent"),
        "the desired version is the newest"
    );
    for (name, shown) in [("2.7.9", false), ("2.9.0", true)] {
        app.state
            .store
            .upsert_agent_version(&AgentVersion {
                id: AgentVersionId::from_uuid(uuid::Uuid::now_v7()),
                created_at: app.state.clock.now(),
                name: name.to_owned(),
                docker_image_repository: None,
                kubernetes_image_repository: None,
            })
            .await
            .unwrap();
        let page = get(&app, "/deployments", Some(admin)).await;
        assert_no_external_host(&page.body);
        assert_eq!(
            card_of(&page.body, &target).contains(&badge),
            shown,
            "{name} registered, desired 2.8.0"
        );
    }
    let reader = get(&app, "/deployments", Some(&org.reader.token))
        .await
        .body;
    assert!(
        card_of(&reader, &target).contains(&badge),
        "readers see it too"
    );
}

#[tokio::test]
async fn the_card_menu_links_to_the_target_sections_and_hides_writes_from_readers() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "box", None).await;
    let link = |anchor: &str, text: &str| {
        format!(r#"<a href="/deployment-targets/{target}#{anchor}">{text}</a>"#)
    };
    for (token, writer) in [
        (admin, true),
        (org.writer.token.as_str(), true),
        (org.reader.token.as_str(), false),
    ] {
        let page = get(&app, "/deployments", Some(token)).await;
        assert_no_external_host(&page.body);
        let card = card_of(&page.body, &target);
        let menu_at = card.find(r#"<details class="menu">"#).expect("a card menu");
        let menu = &card[menu_at..card[menu_at..].find("</details>").unwrap() + menu_at];
        assert!(menu.contains(&link("agent-logs", "Agent logs")), "{menu}");
        assert!(menu.contains(&link("metrics", "Metrics")));
        assert_eq!(menu.contains(&link("edit", "Edit")), writer, "{menu}");
        assert_eq!(menu.contains(&link("delete", "Delete")), writer, "{menu}");
    }
}

#[tokio::test]
async fn deployments_are_tagged_update_available_only_for_a_newer_unarchived_version() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "box", None).await;
    let (app_id, v1) = docker_app(&app, admin, "Shop").await;
    let put = app
        .put(
            "/api/v1/deployments",
            admin,
            json!({"deploymentTargetId": target, "applicationVersionId": v1, "envFileData": b64("A=1\n")}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    let deployment = put.body["id"].as_str().unwrap().to_owned();
    let row = |body: &str| {
        let start = body
            .find(&format!(r#"data-deployment="{deployment}""#))
            .expect("the deployment row");
        let end = body[start..].find("</tr>").unwrap() + start;
        body[start..end].to_owned()
    };
    let tag = r#"<span class="badge">update available</span>"#;
    let current = get(&app, "/deployments", Some(admin)).await.body;
    assert!(!row(&current).contains(tag), "v1 is the newest");
    assert!(
        row(&current).contains(" s ago</td>"),
        "the last revision time: {}",
        row(&current)
    );
    let v2 = app
        .post(
            &format!("/api/v1/applications/{app_id}/versions"),
            admin,
            json!({"name": "v2", "composeFile": b64(COMPOSE), "templateFile": b64("A=2\n")}),
        )
        .await;
    assert_eq!(v2.status, StatusCode::CREATED, "{:?}", v2.body);
    let v2 = v2.body["id"].as_str().unwrap().to_owned();
    let newer = get(&app, "/deployments", Some(admin)).await;
    assert!(row(&newer.body).contains(tag), "v2 is newer");
    assert_no_external_host(&newer.body);
    let archived = app
        .put(
            &format!("/api/v1/applications/{app_id}/versions/{v2}"),
            admin,
            json!({"name": "v2", "archivedAt": app.state.clock.now().to_rfc3339()}),
        )
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{:?}", archived.body);
    let after = get(&app, "/deployments", Some(admin)).await.body;
    assert!(
        !row(&after).contains(tag),
        "an archived version is not offered"
    );
}
