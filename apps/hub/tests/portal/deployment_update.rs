//! The deployment page's Update form and undeploy confirmation with
//! JavaScript off (HS §4.1, §4.5): version tags, the force-restart and
//! ignore-revision-skew options, refused updates answered inline with the
//! input kept, roles and CSRF.

use axum::http::StatusCode;
use serde_json::json;

use super::html::{
    ORIGIN, assert_no_external_host, csrf, docker_app, docker_target, get, helm_app, post,
    post_raw, report_version,
};
use super::support::{Backend, COMPOSE, TestApp, b64};

/// A docker deployment of "Shop" v1 with `A=1`; returns (app, v1, target, deployment).
async fn deployed(app: &TestApp, token: &str) -> (String, String, String, String) {
    let target = docker_target(app, token, "box", None).await;
    let (app_id, v1) = docker_app(app, token, "Shop").await;
    let put = app
        .put(
            "/api/v1/deployments",
            token,
            json!({"deploymentTargetId": target, "applicationVersionId": v1, "envFileData": b64("A=1\n")}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    let deployment = put.body["id"].as_str().unwrap().to_owned();
    (app_id, v1, target, deployment)
}

async fn add_version(app: &TestApp, token: &str, app_id: &str, name: &str) -> String {
    let v = app
        .post(
            &format!("/api/v1/applications/{app_id}/versions"),
            token,
            json!({"name": name, "composeFile": b64(COMPOSE), "templateFile": b64("A=1\n")}),
        )
        .await;
    assert_eq!(v.status, StatusCode::CREATED, "{:?}", v.body);
    v.body["id"].as_str().unwrap().to_owned()
}

async fn archive(app: &TestApp, token: &str, app_id: &str, version: &str, name: &str) {
    let archived = app
        .put(
            &format!("/api/v1/applications/{app_id}/versions/{version}"),
            token,
            json!({"name": name, "archivedAt": app.state.clock.now().to_rfc3339()}),
        )
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{:?}", archived.body);
}

async fn revisions(app: &TestApp, token: &str, deployment: &str) -> Vec<serde_json::Value> {
    let reply = app
        .get(
            &format!("/api/v1/deployments/{deployment}/revisions"),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body.as_array().unwrap().clone()
}

/// The opening tag of the element with `id` (up to its `>`).
fn tag<'a>(body: &'a str, id: &str) -> &'a str {
    let at = body
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = body[..at].rfind('<').unwrap();
    let end = body[at..].find('>').unwrap() + at;
    &body[start..=end]
}

#[tokio::test]
async fn the_version_select_marks_the_current_version_and_tags_newer_ones() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (app_id, v1, target, deployment) = deployed(&app, admin).await;
    let v2 = add_version(&app, admin, &app_id, "v2").await;
    let v3 = add_version(&app, admin, &app_id, "v3").await;
    archive(&app, admin, &app_id, &v3, "v3").await;
    let path = format!("/deployments/{deployment}");
    let page = get(&app, &path, Some(admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains(&format!(
        r#"<option value="{v1}" selected>v1 (current)</option>"#
    )));
    assert!(body.contains(&format!(r#"<option value="{v2}" >v2 (newer)</option>"#)));
    assert!(!body.contains(&v3), "an archived version is not offered");
    assert!(
        body.find(">v2 (newer)<") < body.find(">v1 (current)<"),
        "newest first in the select"
    );
    assert_no_external_host(body);

    let put = app
        .put(
            "/api/v1/deployments",
            admin,
            json!({"deploymentTargetId": target, "deploymentId": deployment, "applicationVersionId": v2}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    archive(&app, admin, &app_id, &v2, "v2").await;
    let body = get(&app, &path, Some(admin)).await.body;
    assert!(
        body.contains(&format!(
            r#"<option value="{v2}" selected>v2 (current)</option>"#
        )),
        "an archived current version stays offered"
    );
    assert!(body.contains(&format!(r#"<option value="{v1}" >v1</option>"#)));
    assert!(!body.contains("(newer)"), "v3 is archived");
    assert_no_external_host(&body);
}

#[tokio::test]
async fn the_force_restart_option_adds_a_revision_with_force_restart_and_is_gated() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, v1, target, deployment) = deployed(&app, admin).await;
    let path = format!("/deployments/{deployment}");
    report_version(&app, &target, "1.11.0").await;
    let old = get(&app, &path, Some(admin)).await.body;
    let checkbox = tag(&old, "update-force-restart");
    assert!(
        checkbox.contains(r#"disabled title="needs agent version 1.12.0 or newer""#),
        "{checkbox}"
    );
    assert_no_external_host(&old);
    let fields = [
        ("version", v1.as_str()),
        ("config", "A=2\n"),
        ("force_restart", "on"),
    ];
    let refused = post(&app, &format!("{path}/update"), admin, &fields).await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "the server enforces the gate"
    );
    assert_eq!(revisions(&app, admin, &deployment).await.len(), 1);

    report_version(&app, &target, "1.12.0").await;
    let new = get(&app, &path, Some(admin)).await.body;
    assert!(!tag(&new, "update-force-restart").contains("disabled"));
    let saved = post(&app, &format!("{path}/update"), admin, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let all = revisions(&app, admin, &deployment).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["forceRestart"], true);
    assert_eq!(all[0]["envFileData"], b64("A=2\n"));
    let shown = get(&app, saved.location(), Some(admin)).await;
    assert!(
        shown
            .body
            .contains("applied by the agent within one interval"),
        "{}",
        shown.body
    );
    assert_no_external_host(&shown.body);
    let plain = post(&app, &format!("{path}/update"), admin, &fields[..2]).await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER);
    assert_eq!(
        revisions(&app, admin, &deployment).await[0]["forceRestart"],
        false,
        "an unchecked box is no force restart"
    );
}

#[tokio::test]
async fn ignore_revision_skew_is_offered_with_a_warning_on_kubernetes_only() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, _, _, docker) = deployed(&app, admin).await;
    let docker_page = get(&app, &format!("/deployments/{docker}"), Some(admin)).await;
    assert!(!docker_page.body.contains("update-ignore-skew"));
    assert!(!docker_page.body.contains("update-skew-warning"));

    let (_, version) = helm_app(&app, admin, "Web Shop").await;
    let created = post(
        &app,
        "/deployments/new",
        admin,
        &[
            ("target", "new"),
            ("version", &version),
            ("new_name", "cluster-1"),
            ("new_namespace", "shop"),
            ("new_scope", "namespace"),
            ("config", "replicas: 2\n"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let targets = app.get("/api/v1/deployment-targets", admin).await.body;
    let kube = targets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "kubernetes")
        .unwrap();
    let deployment = kube["deployments"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/deployments/{deployment}");
    let page = get(&app, &path, Some(admin)).await;
    assert!(!tag(&page.body, "update-ignore-skew").contains("checked"));
    assert!(
        page.body.contains(r#"id="update-skew-warning""#) && page.body.contains("overwritten"),
        "the risk is explained"
    );
    assert_no_external_host(&page.body);
    let saved = post(
        &app,
        &format!("{path}/update"),
        admin,
        &[
            ("version", &version),
            ("config", "replicas: 3\n"),
            ("ignore_revision_skew", "on"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let all = revisions(&app, admin, &deployment).await;
    assert_eq!(all[0]["ignoreRevisionSkew"], true);
    assert_eq!(all[0]["valuesYaml"], b64("replicas: 3\n"));
    assert_eq!(all[1]["ignoreRevisionSkew"], false);
}

#[tokio::test]
async fn a_refused_update_keeps_the_input_and_shows_the_error_inline() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (app_id, _, target, deployment) = deployed(&app, admin).await;
    report_version(&app, &target, "1.12.0").await;
    let v2 = add_version(&app, admin, &app_id, "v2").await;
    let path = format!("/deployments/{deployment}");
    let closed = get(&app, &path, Some(admin)).await.body;
    assert!(closed.contains(r#"<details class="card" id="update">"#));
    let refused = post(
        &app,
        &format!("{path}/update"),
        admin,
        &[
            ("version", &v2),
            ("config", "NOT A LINE\n"),
            ("force_restart", "on"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let body = &refused.body;
    assert!(body.contains(r#"<details class="card" id="update" open>"#));
    assert!(body.contains(r#"id="update-error""#), "{body}");
    assert!(body.contains("env line 1 has no KEY="), "the detail");
    assert!(
        body.contains("line 1 must have the form KEY=value"),
        "errors[]"
    );
    assert!(body.contains(&format!(
        r#"<option value="{v2}" selected>v2 (newer)</option>"#
    )));
    assert!(
        body.contains(">NOT A LINE\n</textarea>"),
        "the raw config kept"
    );
    assert!(tag(body, "update-force-restart").contains("checked"));
    assert_no_external_host(body);

    let missing = post(
        &app,
        &format!("{path}/update"),
        admin,
        &[
            ("version", &v2),
            ("config", "PASSWORD={{ .Secrets.DB_PASSWORD }}\n"),
        ],
    )
    .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST, "a missing secret");
    assert!(missing.body.contains(r#"id="update-error""#));
    assert!(missing.body.contains("DB_PASSWORD"), "{}", missing.body);
    assert!(
        missing
            .body
            .contains(">PASSWORD={{ .Secrets.DB_PASSWORD }}\n</textarea>")
    );

    archive(&app, admin, &app_id, &v2, "v2").await;
    let archived = post(
        &app,
        &format!("{path}/update"),
        admin,
        &[("version", &v2), ("config", "A=5\n")],
    )
    .await;
    assert_eq!(archived.status, StatusCode::BAD_REQUEST);
    assert!(
        archived
            .body
            .contains("the application version is archived")
    );
    assert!(archived.body.contains(">A=5\n</textarea>"));

    let unknown = uuid::Uuid::now_v7().to_string();
    let foreign = post(
        &app,
        &format!("{path}/update"),
        admin,
        &[("version", &unknown), ("config", "A=6\n")],
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert!(foreign.body.contains(r#"id="update-error""#));
    assert!(foreign.body.contains(">A=6\n</textarea>"));
    assert_eq!(
        revisions(&app, admin, &deployment).await.len(),
        1,
        "no revision added"
    );
}

#[tokio::test]
async fn a_wrong_undeploy_confirmation_is_shown_inline_and_undeploys_nothing() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, _, _, deployment) = deployed(&app, admin).await;
    let path = format!("/deployments/{deployment}");
    let wrong = post(
        &app,
        &format!("{path}/undeploy"),
        admin,
        &[("confirm", "undeploy")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.body.contains(r#"id="undeploy-error""#),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("type UNDEPLOY to confirm"));
    assert!(
        wrong.body.contains(r#"id="undeploy-confirm""#),
        "the page, not an error page"
    );
    assert_no_external_host(&wrong.body);
    let still = get(&app, &path, Some(admin)).await;
    assert_eq!(still.status, StatusCode::OK);
}

#[tokio::test]
async fn readers_get_no_update_form_and_a_403() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, v1, _, deployment) = deployed(&app, admin).await;
    let path = format!("/deployments/{deployment}");
    let reader = org.reader.token.as_str();
    let page = get(&app, &path, Some(reader)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&format!(r#"action="{path}/update""#)));
    assert!(!page.body.contains(r#"id="update""#));
    assert_no_external_host(&page.body);
    let refused = post(
        &app,
        &format!("{path}/update"),
        reader,
        &[("version", &v1), ("config", "A=9\n")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(revisions(&app, admin, &deployment).await.len(), 1);
}

#[tokio::test]
async fn the_update_post_refuses_a_missing_or_wrong_csrf_token_and_a_foreign_origin() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, v1, _, deployment) = deployed(&app, admin).await;
    let path = format!("/deployments/{deployment}/update");
    let good = csrf(admin);
    let other = csrf(&org.writer.token);
    let cases = [
        (ORIGIN, vec![("version", v1.as_str())]),
        (ORIGIN, vec![("_csrf", "00ff"), ("version", v1.as_str())]),
        (
            ORIGIN,
            vec![("_csrf", other.as_str()), ("version", v1.as_str())],
        ),
        (
            "http://evil.example",
            vec![("_csrf", good.as_str()), ("version", v1.as_str())],
        ),
    ];
    for (origin, fields) in cases {
        let page = post_raw(&app, &path, Some(admin), Some(origin), &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{origin} {fields:?}");
    }
    assert_eq!(revisions(&app, admin, &deployment).await.len(), 1);
}
