//! The deploy wizard and the deployment detail page with JavaScript off
//! (HS §4.4–§4.5; HS §7 items 38, 42, 74, 79).

use axum::http::StatusCode;
use distr_domain::deployment::StatusType;
use distr_domain::ids::{RevisionId, StatusId};
use serde_json::json;

use super::html::{
    assert_no_external_host, docker_app, docker_target, get, helm_app, post, report_version,
};
use super::support::{Backend, TestApp, b64};

async fn target_count(app: &TestApp, token: &str) -> usize {
    app.get("/api/v1/deployment-targets", token)
        .await
        .body
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_wizard_works_without_javascript_and_prefills_the_env_template() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, version) = docker_app(&app, admin, "Shop").await;
    let first = get(&app, "/deployments/new", Some(admin)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first
            .body
            .contains(r#"<form method="get" action="/deployments/new""#)
    );
    assert!(first.body.contains("Shop v1 (docker)"));
    assert!(
        !first.body.contains("wizard-deploy"),
        "configuration comes second"
    );
    let second = get(
        &app,
        &format!("/deployments/new?target=new&version={version}"),
        Some(admin),
    )
    .await;
    assert!(second.body.contains(r#"id="wizard-deploy""#));
    assert!(
        second.body.contains(">A=1\n</textarea>"),
        "env template prefilled"
    );
    assert!(
        second.body.contains(r#"name="logs" value="on" checked"#),
        "logs on by default"
    );
    assert!(
        second.body.contains(r#"value="compose" checked"#),
        "compose by default"
    );
    assert!(second.body.contains("Customer A"), "vendors pick the owner");
    assert_no_external_host(&second.body);
    let reader = get(&app, "/deployments/new", Some(&org.reader.token)).await;
    assert_eq!(reader.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_wizard_creates_a_docker_target_with_a_compose_deployment() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, version) = docker_app(&app, admin, "Shop").await;
    let page = post(
        &app,
        "/deployments/new",
        admin,
        &[
            ("target", "new"),
            ("version", &version),
            ("new_name", "edge-1"),
            ("new_owner", &org.customer.to_string()),
            ("config", "A=2\n"),
            ("mode", "compose"),
            ("logs", "on"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(
        page.location().ends_with("/connect"),
        "a new target continues to Connect"
    );
    let targets = app.get("/api/v1/deployment-targets", admin).await.body;
    let target = &targets[0];
    assert_eq!(target["name"], "edge-1");
    assert_eq!(
        target["customerOrganization"]["id"],
        org.customer.to_string()
    );
    let deployment = &target["deployments"][0];
    assert_eq!(deployment["dockerType"], "compose");
    assert_eq!(deployment["logsEnabled"], true);
    assert_eq!(deployment["envFileData"], b64("A=2\n"));
}

#[tokio::test]
async fn the_wizard_creates_a_kubernetes_target_with_a_helm_deployment() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, version) = helm_app(&app, admin, "Web Shop").await;
    let page = post(
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
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let targets = app.get("/api/v1/deployment-targets", admin).await.body;
    assert_eq!(targets[0]["type"], "kubernetes");
    assert_eq!(targets[0]["namespace"], "shop");
    let deployment = &targets[0]["deployments"][0];
    assert_eq!(deployment["releaseName"], "web-shop");
    assert_eq!(
        deployment["logsEnabled"], false,
        "the logs box was unchecked"
    );
}

#[tokio::test]
async fn a_failed_deployment_step_creates_neither_target_nor_deployment_and_keeps_the_input() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, version) = docker_app(&app, admin, "Shop").await;
    let page = post(
        &app,
        "/deployments/new",
        admin,
        &[
            ("target", "new"),
            ("version", &version),
            ("new_name", "edge-2"),
            ("config", "this line has no key\n"),
            ("logs", "on"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains(r#"id="form-error""#));
    assert!(
        page.body.contains("must have the form KEY=value"),
        "errors[] inline"
    );
    assert!(page.body.contains(r#"value="edge-2""#), "input kept");
    assert!(page.body.contains("this line has no key"), "input kept");
    assert_eq!(target_count(&app, admin).await, 0, "no target was created");
    let nameless = post(
        &app,
        "/deployments/new",
        admin,
        &[("target", "new"), ("version", &version), ("new_name", "")],
    )
    .await;
    assert_eq!(nameless.status, StatusCode::BAD_REQUEST);
    assert_eq!(target_count(&app, admin).await, 0);
}

async fn deployed(app: &TestApp, token: &str) -> (String, String, String) {
    let target = docker_target(app, token, "box", None).await;
    let (_, version) = docker_app(app, token, "Shop").await;
    let put = app
        .put(
            "/api/v1/deployments",
            token,
            json!({"deploymentTargetId": target, "applicationVersionId": version, "envFileData": b64("A=1\n")}),
        )
        .await;
    (
        target,
        put.body["id"].as_str().unwrap().to_owned(),
        put.body["deploymentRevisionId"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

#[tokio::test]
async fn the_detail_page_shows_the_status_log_with_load_older_and_the_revisions() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, deployment, revision) = deployed(&app, admin).await;
    let revision: RevisionId = revision.parse().unwrap();
    let now = app.state.clock.now();
    for i in 0..30 {
        app.state
            .store
            .record_status(
                StatusId::from_uuid(uuid::Uuid::now_v7()),
                revision,
                StatusType::Progressing,
                &format!("step {i}"),
                now - chrono::Duration::seconds(60 - i),
            )
            .await
            .unwrap();
    }
    let path = format!("/deployments/{deployment}");
    let page = get(&app, &path, Some(admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("step 29"), "newest first");
    assert!(!page.body.contains("step 4<"), "only one page");
    let older_at = page.body.find("cursor=").expect("load older") + "cursor=".len();
    let cursor: String = page.body[older_at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let older = get(
        &app,
        &format!("{path}?tab=status&cursor={cursor}"),
        Some(admin),
    )
    .await;
    assert!(older.body.contains("step 4<"));
    assert!(!older.body.contains("step 29"));
    let revisions = get(&app, &format!("{path}?tab=revisions"), Some(admin)).await;
    assert!(revisions.body.contains(r#"id="revisions""#));
    assert!(revisions.body.contains("A=1"), "raw env shown");
    assert!(revisions.body.contains("Test User"), "author");
    assert_no_external_host(&revisions.body);
}

#[tokio::test]
async fn force_restart_is_disabled_for_agent_1_11_0_and_enabled_for_1_12_0() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (target, deployment, _) = deployed(&app, admin).await;
    let path = format!("/deployments/{deployment}");
    report_version(&app, &target, "1.11.0").await;
    let old = get(&app, &path, Some(admin)).await.body;
    assert!(
        old.contains(r#"id="force-restart" disabled title="needs agent version 1.12.0 or newer""#)
    );
    let refused = post(&app, &format!("{path}/restart"), admin, &[]).await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "the server enforces the gate"
    );
    report_version(&app, &target, "1.12.0").await;
    let new = get(&app, &path, Some(admin)).await.body;
    assert!(new.contains(r#"id="force-restart" >"#) || new.contains(r#"id="force-restart">"#));
    let restarted = post(&app, &format!("{path}/restart"), admin, &[]).await;
    assert_eq!(restarted.status, StatusCode::SEE_OTHER);
    let revisions = app
        .get(
            &format!("/api/v1/deployments/{deployment}/revisions"),
            admin,
        )
        .await;
    assert_eq!(revisions.body[0]["forceRestart"], true);
    assert_eq!(
        revisions.body[0]["envFileData"],
        b64("A=1\n"),
        "a copy of the current revision"
    );
}

#[tokio::test]
async fn undeploy_needs_the_typed_confirmation_and_removes_the_row() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, deployment, _) = deployed(&app, admin).await;
    let path = format!("/deployments/{deployment}/undeploy");
    let unconfirmed = post(&app, &path, admin, &[("confirm", "yes")]).await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    let reader = post(&app, &path, &org.reader.token, &[("confirm", "UNDEPLOY")]).await;
    assert_eq!(reader.status, StatusCode::FORBIDDEN);
    let done = post(&app, &path, admin, &[("confirm", "UNDEPLOY")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/deployments?notice=undeployed");
    let overview = get(&app, done.location(), Some(admin)).await;
    assert!(
        overview
            .body
            .contains("the agent removes it on its next poll")
    );
    assert!(!overview.body.contains(&deployment));
    let gone = get(&app, &format!("/deployments/{deployment}"), Some(admin)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_customer_users_wizard_lists_only_their_targets() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    docker_app(&app, admin, "Shop").await;
    docker_target(&app, admin, "vendor-box", None).await;
    docker_target(&app, admin, "their-box", Some(json!(org.customer))).await;
    docker_target(&app, admin, "other-box", Some(json!(org.other_customer))).await;
    let vendor = get(&app, "/deployments/new", Some(admin)).await.body;
    for name in ["vendor-box", "their-box", "other-box"] {
        assert!(vendor.contains(name), "the vendor sees {name}");
    }
    let customer = get(&app, "/deployments/new", Some(&org.customer_writer.token)).await;
    assert_eq!(customer.status, StatusCode::OK);
    assert!(customer.body.contains("their-box"));
    assert!(!customer.body.contains("vendor-box"));
    assert!(!customer.body.contains("other-box"));
    assert!(
        !customer.body.contains("Customer B"),
        "nothing of another customer"
    );
    assert_no_external_host(&customer.body);
}

#[tokio::test]
async fn the_wizard_lists_the_secret_keys_of_the_targets_owner_without_values() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (_, version) = docker_app(&app, admin, "Shop").await;
    let vendor_box = docker_target(&app, admin, "vendor-box", None).await;
    let their_box = docker_target(&app, admin, "their-box", Some(json!(org.customer))).await;
    for (key, value, owner) in [
        ("VENDOR_KEY", "vendor-value-1", None),
        ("THEIR_KEY", "their-value-2", Some(org.customer)),
        ("OTHER_KEY", "other-value-3", Some(org.other_customer)),
    ] {
        let created = app
            .post(
                "/api/v1/secrets",
                admin,
                json!({"key": key, "value": value, "customerOrganizationId": owner}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    }
    let helper = |body: &str| {
        let start = body.find(r#"id="wizard-secrets""#).expect("the helper");
        let end = body[start..].find("</div>").unwrap() + start;
        body[start..end].to_owned()
    };
    let placeholder = |key: &str| {
        format!(
            r#"<code id="secret-key-{key}">{{{{ .Secrets.{key} }}}}</code> <button type="button" class="copy" data-copy="secret-key-{key}">Copy</button>"#
        )
    };
    let cases = [
        (admin, vendor_box.as_str(), "VENDOR_KEY"),
        (admin, their_box.as_str(), "THEIR_KEY"),
        (
            org.customer_writer.token.as_str(),
            their_box.as_str(),
            "THEIR_KEY",
        ),
        (admin, "new", "VENDOR_KEY"),
    ];
    for (token, target, key) in cases {
        let page = get(
            &app,
            &format!("/deployments/new?target={target}&version={version}"),
            Some(token),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_no_external_host(&page.body);
        let shown = helper(&page.body);
        assert!(shown.contains(&placeholder(key)), "{target}: {shown}");
        for other in ["VENDOR_KEY", "THEIR_KEY", "OTHER_KEY"] {
            assert_eq!(
                page.body.contains(other),
                other == key,
                "{target}: only the owner's scope, {other}"
            );
        }
        for value in ["vendor-value-1", "their-value-2", "other-value-3"] {
            assert!(!page.body.contains(value), "no value is rendered");
        }
    }
}
