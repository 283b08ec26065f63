//! `/deployment-targets/{id}` (HS §4.4; HS §7 item 75).

use axum::http::StatusCode;
use distr_domain::ids::{LogRecordId, MetricsSampleId, TargetId};
use distr_domain::telemetry::{MetricsSample, TargetLogRecord};
use serde_json::json;

use super::html::{
    ORIGIN, assert_no_external_host, csrf, docker_app, docker_target, get, post, post_raw,
};
use super::support::{Backend, TestApp, b64};

#[tokio::test]
async fn seeded_samples_render_svg_charts_for_one_hour_and_for_24_hours() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "box", None).await;
    let id: TargetId = target.parse().unwrap();
    let now = app.state.clock.now();
    for minutes in [5_i64, 20, 50, 120, 600, 1200] {
        let at = now - chrono::Duration::minutes(minutes);
        app.state
            .store
            .insert_metrics(&MetricsSample {
                id: MetricsSampleId::from_uuid(uuid::Uuid::now_v7()),
                deployment_target_id: id,
                created_at: at,
                cpu_cores_millis: 2000,
                cpu_usage: 0.25,
                memory_bytes: 4_000_000_000,
                memory_usage: 0.5,
            })
            .await
            .unwrap();
    }
    app.state
        .store
        .insert_target_logs(&[TargetLogRecord {
            id: LogRecordId::from_uuid(uuid::Uuid::now_v7()),
            deployment_target_id: id,
            created_at: now,
            timestamp: now,
            severity: "INFO".to_owned(),
            body: "agent <started>".to_owned(),
        }])
        .await
        .unwrap();
    let polyline_points = |body: &str| {
        let at = body
            .find("class=\"line-cpu\" points=\"")
            .expect("a cpu line")
            + "class=\"line-cpu\" points=\"".len();
        body[at..].split('"').next().unwrap().split(' ').count()
    };
    let hour = get(
        &app,
        &format!("/deployment-targets/{target}?range=1h"),
        Some(admin),
    )
    .await;
    assert_eq!(hour.status, StatusCode::OK);
    assert!(hour.body.contains(r#"<svg class="chart""#));
    assert!(hour.body.contains("class=\"line-mem\""));
    assert_eq!(
        polyline_points(&hour.body),
        3,
        "three samples in the last hour"
    );
    assert!(
        hour.body.contains("agent &#60;started&#62;"),
        "agent logs, escaped"
    );
    assert!(!hour.body.contains("<script>"), "no inline script");
    assert_no_external_host(&hour.body);
    let day = get(
        &app,
        &format!("/deployment-targets/{target}?range=24h"),
        Some(admin),
    )
    .await;
    assert_eq!(polyline_points(&day.body), 6, "all six samples in 24 h");
    assert!(day.body.contains(&format!(
        r#"data-live-charts="/ui/deployment-targets/{target}/charts?range=24h""#
    )));
    let fragment = get(
        &app,
        &format!("/ui/deployment-targets/{target}/charts?range=24h"),
        Some(admin),
    )
    .await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert_eq!(
        polyline_points(&fragment.body),
        6,
        "the same chart as the page"
    );
    assert!(!fragment.body.contains("<html"), "only the fragment");
    let other = get(
        &app,
        &format!("/deployment-targets/{target}"),
        Some(&org.customer_admin.token),
    )
    .await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "a vendor target is outside the customer's scope"
    );
}

async fn kubernetes_target(app: &TestApp, token: &str, name: &str, scope: &str) -> String {
    let body = json!({"name": name, "type": "kubernetes", "namespace": "apps", "scope": scope});
    let reply = app.post("/api/v1/deployment-targets", token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn api_target(app: &TestApp, token: &str, id: &str) -> serde_json::Value {
    let reply = app
        .get(&format!("/api/v1/deployment-targets/{id}"), token)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

#[tokio::test]
async fn the_edit_form_saves_name_metrics_and_resources_and_keeps_the_input_on_errors() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let docker = docker_target(&app, admin, "box", None).await;
    let page = get(&app, &format!("/deployment-targets/{docker}"), Some(admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    for id in ["edit", "agent", "metrics", "agent-logs", "delete"] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    assert!(page.body.contains(r#"id="target-name" value="box""#));
    assert!(
        !page.body.contains("id=\"cpu-request\""),
        "no resources for docker"
    );
    assert_no_external_host(&page.body);

    let saved = post(
        &app,
        &format!("/deployment-targets/{docker}/edit"),
        admin,
        &[("name", "renamed"), ("metrics", "on")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        saved.location(),
        format!("/deployment-targets/{docker}?notice=saved#edit")
    );
    let stored = api_target(&app, admin, &docker).await;
    assert_eq!(stored["name"], "renamed");
    assert_eq!(stored["metricsEnabled"], true);
    let off = post(
        &app,
        &format!("/deployment-targets/{docker}/edit"),
        admin,
        &[("name", "renamed")],
    )
    .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(
        api_target(&app, admin, &docker).await["metricsEnabled"],
        false
    );

    let cluster = kubernetes_target(&app, admin, "kube", "cluster").await;
    let edit = format!("/deployment-targets/{cluster}/edit");
    let resources = [
        ("cpu_request", "100m"),
        ("memory_request", "128Mi"),
        ("cpu_limit", "500m"),
        ("memory_limit", "256Mi"),
    ];
    let mut fields = vec![("name", "kube-2")];
    fields.extend_from_slice(&resources);
    let saved = post(&app, &edit, admin, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = api_target(&app, admin, &cluster).await;
    assert_eq!(stored["resources"]["cpuRequest"], "100m");
    assert_eq!(stored["resources"]["memoryLimit"], "256Mi");
    let page = get(&app, &format!("/deployment-targets/{cluster}"), Some(admin)).await;
    assert!(page.body.contains(r#"id="cpu-request" value="100m""#));
    assert!(
        !page.body.contains("id=\"metrics-reason\""),
        "cluster scope may"
    );

    let refused = post(
        &app,
        &edit,
        admin,
        &[
            ("name", "kube-3"),
            ("cpu_request", "lots"),
            ("memory_request", "1Mi"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains(r#"id="edit-error""#));
    assert!(
        refused.body.contains(r#"id="target-name" value="kube-3""#),
        "input kept"
    );
    assert!(
        refused.body.contains(r#"id="cpu-request" value="lots""#),
        "input kept"
    );
    assert!(refused.body.contains("not a Kubernetes quantity"));
    assert_eq!(api_target(&app, admin, &cluster).await["name"], "kube-2");
    let nameless = post(&app, &edit, admin, &[("name", "")]).await;
    assert_eq!(nameless.status, StatusCode::BAD_REQUEST);
    assert!(nameless.body.contains("/name"));

    let scoped = kubernetes_target(&app, admin, "ns", "namespace").await;
    let page = get(&app, &format!("/deployment-targets/{scoped}"), Some(admin)).await;
    assert!(page.body.contains("id=\"metrics-reason\""));
    assert!(page.body.contains("node metrics need cluster scope"));
    assert!(
        page.body.contains(r#"id="target-metrics"  disabled"#)
            || page.body.contains("id=\"target-metrics\" disabled")
    );
    let metrics = post(
        &app,
        &format!("/deployment-targets/{scoped}/edit"),
        admin,
        &[("name", "ns"), ("metrics", "on")],
    )
    .await;
    assert_eq!(metrics.status, StatusCode::BAD_REQUEST);
    assert!(metrics.body.contains("/metricsEnabled"));

    let reader = org.reader.token.as_str();
    let page = get(&app, &format!("/deployment-targets/{docker}"), Some(reader)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"edit\""), "readers see no form");
    assert!(!page.body.contains("/edit\""));
    assert!(!page.body.contains("id=\"delete\""));
    let by_reader = post(
        &app,
        &format!("/deployment-targets/{docker}/edit"),
        reader,
        &[("name", "hijack")],
    )
    .await;
    assert_eq!(by_reader.status, StatusCode::FORBIDDEN);
    let by_customer = post(
        &app,
        &format!("/deployment-targets/{docker}/edit"),
        &org.customer_admin.token,
        &[("name", "hijack")],
    )
    .await;
    assert_eq!(by_customer.status, StatusCode::NOT_FOUND);
    assert_eq!(api_target(&app, admin, &docker).await["name"], "renamed");
}

#[tokio::test]
async fn update_agent_appears_only_for_a_newer_version_and_then_shows_pending() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "box", None).await;
    let path = format!("/deployment-targets/{target}");
    let page = get(&app, &path, Some(admin)).await;
    assert!(page.body.contains(r#"id="agent-desired">2.8.0<"#));
    assert!(
        !page.body.contains("id=\"agent-update\""),
        "2.8.0 is the newest"
    );
    distr_hub::server::register_agent_version(
        app.state.store.as_ref(),
        app.state.clock.as_ref(),
        "2.9.0",
        None,
        None,
    )
    .await
    .unwrap();
    let page = get(&app, &path, Some(admin)).await;
    assert!(page.body.contains("Update agent to 2.9.0"));
    let reader = get(&app, &path, Some(&org.reader.token)).await;
    assert!(!reader.body.contains("id=\"agent-update\""), "writers only");
    assert!(reader.body.contains("Agent 2.9.0 is available"));
    let refused = post(
        &app,
        &format!("{path}/agent-update"),
        &org.reader.token,
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        api_target(&app, admin, &target).await["agentVersion"]["name"],
        "2.8.0"
    );

    let updated = post(&app, &format!("{path}/agent-update"), admin, &[]).await;
    assert_eq!(updated.status, StatusCode::SEE_OTHER);
    assert_eq!(
        updated.location(),
        format!("{path}?notice=agent-update#agent")
    );
    let stored = api_target(&app, admin, &target).await;
    assert_eq!(stored["agentVersion"]["name"], "2.9.0");
    assert_eq!(stored["name"], "box", "nothing else changes");
    let page = get(&app, &format!("{path}?notice=agent-update"), Some(admin)).await;
    assert!(page.body.contains(r#"id="agent-desired">2.9.0<"#));
    assert!(page.body.contains("Agent update requested"));
    assert!(!page.body.contains("id=\"agent-update\""));
    assert!(!page.body.contains("Update pending…"), "never connected");

    let id: TargetId = target.parse().unwrap();
    app.state
        .store
        .record_heartbeat(id, app.state.clock.now(), "OK")
        .await
        .unwrap();
    let page = get(&app, &path, Some(admin)).await;
    assert!(page.body.contains("id=\"agent-update-pending\""));
    assert!(page.body.contains("Update pending…"));
    let again = post(&app, &format!("{path}/agent-update"), admin, &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("id=\"agent-error\""));
}

#[tokio::test]
async fn delete_is_blocked_by_deployments_and_force_delete_needs_the_typed_name() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "box", None).await;
    let (_, version) = docker_app(&app, admin, "Shop").await;
    let put = app
        .put(
            "/api/v1/deployments",
            admin,
            json!({"deploymentTargetId": target, "applicationVersionId": version, "envFileData": b64("A=1\n")}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let path = format!("/deployment-targets/{target}");
    let page = get(&app, &path, Some(admin)).await;
    assert!(page.body.contains("id=\"delete-blocked\""));
    assert!(
        page.body.contains(">Shop v1</a>"),
        "the deployments are listed"
    );
    assert!(!page.body.contains("id=\"target-delete\""));

    let blocked = post(&app, &format!("{path}/delete"), admin, &[]).await;
    assert_eq!(blocked.status, StatusCode::CONFLICT);
    assert!(
        blocked
            .body
            .contains("cannot be deleted while it has deployments")
    );
    let wrong = post(
        &app,
        &format!("{path}/delete"),
        admin,
        &[("force", "on"), ("confirm", "bo")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong
            .body
            .contains(r#"id="force-delete-confirm" value="bo""#)
    );
    assert!(
        wrong.body.contains("Type the target&#39;s name, box")
            || wrong.body.contains("Type the target's name, box")
    );
    api_target(&app, admin, &target).await;
    let by_reader = post(
        &app,
        &format!("{path}/delete"),
        &org.reader.token,
        &[("force", "on"), ("confirm", "box")],
    )
    .await;
    assert_eq!(by_reader.status, StatusCode::FORBIDDEN);
    let by_customer = post(
        &app,
        &format!("{path}/delete"),
        &org.customer_admin.token,
        &[("force", "on"), ("confirm", "box")],
    )
    .await;
    assert_eq!(by_customer.status, StatusCode::NOT_FOUND);
    api_target(&app, admin, &target).await;

    let forced = post(
        &app,
        &format!("{path}/delete"),
        admin,
        &[("force", "on"), ("confirm", "box")],
    )
    .await;
    assert_eq!(forced.status, StatusCode::SEE_OTHER);
    assert_eq!(forced.location(), "/deployments?notice=target-deleted");
    let gone = app
        .get(&format!("/api/v1/deployment-targets/{target}"), admin)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let notice = get(&app, forced.location(), Some(admin)).await;
    assert!(notice.body.contains("Deployment target deleted."));

    let empty = docker_target(&app, admin, "spare", None).await;
    let page = get(&app, &format!("/deployment-targets/{empty}"), Some(admin)).await;
    assert!(page.body.contains("id=\"target-delete\""));
    let deleted = post(
        &app,
        &format!("/deployment-targets/{empty}/delete"),
        admin,
        &[],
    )
    .await;
    assert_eq!(deleted.location(), "/deployments?notice=target-deleted");
    let gone = app
        .get(&format!("/api/v1/deployment-targets/{empty}"), admin)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_target_post_refuses_a_missing_or_wrong_csrf_token_and_a_foreign_origin() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "box", None).await;
    let token = csrf(admin);
    for action in ["edit", "agent-update", "delete"] {
        let path = format!("/deployment-targets/{target}/{action}");
        let fields = [("name", "x"), ("force", "on"), ("confirm", "box")];
        let missing = post_raw(&app, &path, Some(admin), Some(ORIGIN), &fields).await;
        assert_eq!(
            missing.status,
            StatusCode::FORBIDDEN,
            "{action} without a token"
        );
        let mut wrong = vec![("_csrf", "00")];
        wrong.extend_from_slice(&fields);
        let bad = post_raw(&app, &path, Some(admin), Some(ORIGIN), &wrong).await;
        assert_eq!(
            bad.status,
            StatusCode::FORBIDDEN,
            "{action} with a wrong token"
        );
        let mut good = vec![("_csrf", token.as_str())];
        good.extend_from_slice(&fields);
        let foreign = post_raw(
            &app,
            &path,
            Some(admin),
            Some("https://evil.example"),
            &good,
        )
        .await;
        assert_eq!(
            foreign.status,
            StatusCode::FORBIDDEN,
            "{action} cross-origin"
        );
    }
    assert_eq!(api_target(&app, admin, &target).await["name"], "box");
}
