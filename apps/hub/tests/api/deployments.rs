//! `PUT /deployments` and the deployment reads: checks, trial rendering,
//! change notification, undeploy.

use axum::http::StatusCode;
use distr_domain::deployment::StatusType;
use distr_domain::ids::{RevisionId, StatusId, TargetId};
use serde_json::{Value, json};

use super::support::{COMPOSE, Org, TestApp, b64};

/// An organization with a docker application version and a customer-owned target.
pub(super) struct Fixture {
    pub org: Org,
    pub target: String,
    pub version: String,
}

pub(super) async fn docker_fixture(app: &TestApp) -> Fixture {
    let org = app.org().await;
    let application = app
        .post(
            "/api/v1/applications",
            &org.admin.token,
            json!({"name": "Shop", "type": "docker"}),
        )
        .await;
    let app_id = application.body["id"].as_str().unwrap();
    let version = app
        .post(
            &format!("/api/v1/applications/{app_id}/versions"),
            &org.admin.token,
            json!({"name": "v1", "composeFile": b64(COMPOSE)}),
        )
        .await;
    let target = app
        .post(
            "/api/v1/deployment-targets",
            &org.admin.token,
            json!({"name": "t", "type": "docker", "customerOrganization": {"id": org.customer}}),
        )
        .await;
    Fixture {
        target: target.body["id"].as_str().unwrap().to_owned(),
        version: version.body["id"].as_str().unwrap().to_owned(),
        org,
    }
}

pub(super) fn deploy_body(f: &Fixture, env: &str) -> Value {
    json!({"deploymentTargetId": f.target, "applicationVersionId": f.version, "envFileData": b64(env)})
}

async fn deployment_flow_creates_reads_updates_and_undeploys(app: TestApp) {
    let f = docker_fixture(&app).await;
    let mut changes = app.state.changes.subscribe();
    let created = app
        .put(
            "/api/v1/deployments",
            &f.org.customer_writer.token,
            deploy_body(&f, "A=1\n"),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["dockerType"], "compose");
    assert_eq!(created.body["applicationName"], "Shop");
    assert_eq!(created.body["health"], "no_status");
    assert_eq!(created.body["revisionPending"], true);
    assert_eq!(created.body["envFileData"], b64("A=1\n"));
    let target: TargetId = f.target.parse().unwrap();
    assert_eq!(
        changes.next().await,
        Some(target),
        "held long-polls are woken"
    );

    let id = created.body["id"].as_str().unwrap().to_owned();
    let revision: RevisionId = created.body["deploymentRevisionId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.state
        .store
        .record_status(
            StatusId::from_uuid(uuid::Uuid::now_v7()),
            revision,
            StatusType::Running,
            "up",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let read = app
        .get(
            &format!("/api/v1/deployments/{id}"),
            &f.org.customer_reader.token,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["health"], "running");
    assert_eq!(read.body["revisionPending"], false);
    assert_eq!(read.body["latestStatus"]["message"], "up");
    let statuses = app
        .get(
            &format!("/api/v1/deployments/{id}/status"),
            &f.org.reader.token,
        )
        .await;
    assert_eq!(statuses.body.as_array().unwrap().len(), 1);
    assert_eq!(statuses.body[0]["type"], "running");
    let bad_limit = app
        .get(
            &format!("/api/v1/deployments/{id}/status?limit=0"),
            &f.org.reader.token,
        )
        .await;
    assert_eq!(bad_limit.status, StatusCode::BAD_REQUEST);

    // Update: absent envFileData keeps the old one, a new revision is pending.
    let update = json!({"deploymentTargetId": f.target, "deploymentId": id, "forceRestart": true});
    let updated = app
        .put("/api/v1/deployments", &f.org.writer.token, update)
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.body["envFileData"], b64("A=1\n"));
    assert_eq!(updated.body["revisionPending"], true);
    assert_ne!(
        updated.body["deploymentRevisionId"],
        created.body["deploymentRevisionId"]
    );

    let target_view = app
        .get(
            &format!("/api/v1/deployment-targets/{}", f.target),
            &f.org.reader.token,
        )
        .await;
    assert_eq!(target_view.body["deployments"].as_array().unwrap().len(), 1);

    assert_eq!(
        app.delete(
            &format!("/api/v1/deployments/{id}"),
            &f.org.customer_reader.token
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(
            &format!("/api/v1/deployments/{id}"),
            &f.org.customer_writer.token
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/deployments/{id}"), &f.org.admin.token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn deployments_outside_the_scope_are_not_found_and_readers_are_forbidden(app: TestApp) {
    let f = docker_fixture(&app).await;
    let other = app.org().await;
    assert_eq!(
        app.put(
            "/api/v1/deployments",
            &other.admin.token,
            deploy_body(&f, "")
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let other_customer = app
        .user(
            f.org.id,
            distr_domain::user::UserRole::Admin,
            Some(f.org.other_customer),
            "pw",
        )
        .await;
    assert_eq!(
        app.put(
            "/api/v1/deployments",
            &other_customer.token,
            deploy_body(&f, "")
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.put(
            "/api/v1/deployments",
            &f.org.reader.token,
            deploy_body(&f, "")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.put(
            "/api/v1/deployments",
            &f.org.customer_reader.token,
            deploy_body(&f, "")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn unknown_secret_key_is_a_template_error_and_nothing_is_stored(app: TestApp) {
    let f = docker_fixture(&app).await;
    let body = deploy_body(&f, "PASSWORD={{ .Secrets.DB_PASSWORD }}\n");
    let refused = app
        .put("/api/v1/deployments", &f.org.admin.token, body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.slug(), "template-error");
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("DB_PASSWORD")
    );
    let target = app
        .get(
            &format!("/api/v1/deployment-targets/{}", f.target),
            &f.org.admin.token,
        )
        .await;
    assert_eq!(target.body["deployments"], json!([]), "nothing stored");
    // The customer's own secret makes it renderable; a vendor-level one would not.
    let secret = json!({"key": "DB_PASSWORD", "value": "s3cret-value", "customerOrganizationId": f.org.customer});
    assert_eq!(
        app.post("/api/v1/secrets", &f.org.admin.token, secret)
            .await
            .status,
        StatusCode::CREATED
    );
    let accepted = app
        .put("/api/v1/deployments", &f.org.admin.token, body)
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
}

async fn fields_of_the_other_type_and_bad_env_lines_are_refused(app: TestApp) {
    let f = docker_fixture(&app).await;
    let mut body = deploy_body(&f, "A=1\n");
    body["releaseName"] = json!("web");
    let reply = app
        .put("/api/v1/deployments", &f.org.admin.token, body)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errors"][0]["pointer"], "/releaseName");
    let reply = app
        .put(
            "/api/v1/deployments",
            &f.org.admin.token,
            deploy_body(&f, "not an env line\n"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errors"][0]["pointer"], "/envFileData");
}

async fn values_that_do_not_merge_are_refused_with_the_path(app: TestApp) {
    let org = app.org().await;
    let application = app
        .post(
            "/api/v1/applications",
            &org.admin.token,
            json!({"name": "Chart", "type": "kubernetes"}),
        )
        .await;
    let app_id = application.body["id"].as_str().unwrap();
    let version = app
        .post(
            &format!("/api/v1/applications/{app_id}/versions"),
            &org.admin.token,
            json!({"name": "1.0.0", "chartType": "oci", "chartUrl": "oci://r/c", "chartVersion": "1.0.0",
                   "valuesFile": b64("image:\n  tag: v1\n")}),
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.body);
    let target = app
        .post(
            "/api/v1/deployment-targets",
            &org.admin.token,
            json!({"name": "k", "type": "kubernetes", "namespace": "apps", "scope": "cluster"}),
        )
        .await;
    let body = json!({"deploymentTargetId": target.body["id"], "applicationVersionId": version.body["id"], "valuesYaml": b64("image: latest\n")});
    let reply = app.put("/api/v1/deployments", &org.admin.token, body).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.slug(), "values-merge-conflict");
    assert!(reply.body["detail"].as_str().unwrap().contains("image"));
    let body = json!({"deploymentTargetId": target.body["id"], "applicationVersionId": version.body["id"], "valuesYaml": b64("image:\n  tag: v2\n")});
    let reply = app.put("/api/v1/deployments", &org.admin.token, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["releaseName"], "chart");
    let again = json!({"deploymentTargetId": target.body["id"], "applicationVersionId": version.body["id"]});
    let conflict = app
        .put("/api/v1/deployments", &org.admin.token, again)
        .await;
    assert_eq!(conflict.slug(), "release-name-conflict");
}

async fn application_type_must_match_the_target(app: TestApp) {
    let f = docker_fixture(&app).await;
    let target = app
        .post(
            "/api/v1/deployment-targets",
            &f.org.admin.token,
            json!({"name": "k", "type": "kubernetes", "namespace": "apps", "scope": "cluster"}),
        )
        .await;
    let body = json!({"deploymentTargetId": target.body["id"], "applicationVersionId": f.version});
    let reply = app
        .put("/api/v1/deployments", &f.org.admin.token, body)
        .await;
    assert_eq!(reply.slug(), "type-mismatch");
}

async fn deployments_created_together_get_distinct_compose_project_names(app: TestApp) {
    let f = docker_fixture(&app).await;
    let mut prefixes = std::collections::BTreeSet::new();
    for _ in 0..3 {
        let created = app
            .put(
                "/api/v1/deployments",
                &f.org.admin.token,
                deploy_body(&f, "A=1\n"),
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let id = created.body["id"].as_str().unwrap().to_owned();
        // The agent's compose project is `distr-<first 8 characters of the id>`.
        prefixes.insert(id[..8].to_owned());
    }
    assert_eq!(prefixes.len(), 3, "project names collide: {prefixes:?}");
}

/// A kubernetes application version and a cluster-scoped target: (version id, target id).
async fn kubernetes_fixture(app: &TestApp, org: &Org) -> (String, String) {
    let application = app
        .post(
            "/api/v1/applications",
            &org.admin.token,
            json!({"name": "Chart", "type": "kubernetes"}),
        )
        .await;
    let app_id = application.body["id"].as_str().unwrap();
    let version = app
        .post(
            &format!("/api/v1/applications/{app_id}/versions"),
            &org.admin.token,
            json!({"name": "1.0.0", "chartType": "oci", "chartUrl": "oci://r/c", "chartVersion": "1.0.0"}),
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.body);
    (
        version.body["id"].as_str().unwrap().to_owned(),
        kubernetes_target(app, org, "k").await,
    )
}

async fn kubernetes_target(app: &TestApp, org: &Org, name: &str) -> String {
    let target = app
        .post(
            "/api/v1/deployment-targets",
            &org.admin.token,
            json!({"name": name, "type": "kubernetes", "namespace": "apps", "scope": "cluster"}),
        )
        .await;
    assert_eq!(target.status, StatusCode::CREATED, "{}", target.body);
    target.body["id"].as_str().unwrap().to_owned()
}

// HS §7 item 30: a release name is unique per target, not across targets.
async fn release_name_is_unique_per_target(app: TestApp) {
    let org = app.org().await;
    let (version, target) = kubernetes_fixture(&app, &org).await;
    let body = |target: &str, release: &str| json!({"deploymentTargetId": target, "applicationVersionId": version, "releaseName": release});
    let first = app
        .put(
            "/api/v1/deployments",
            &org.admin.token,
            body(&target, "web"),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["releaseName"], "web");
    let conflict = app
        .put(
            "/api/v1/deployments",
            &org.admin.token,
            body(&target, "web"),
        )
        .await;
    assert_eq!(conflict.status, StatusCode::BAD_REQUEST);
    assert_eq!(conflict.slug(), "release-name-conflict");
    let listed = app
        .get(
            &format!("/api/v1/deployment-targets/{target}"),
            &org.admin.token,
        )
        .await;
    assert_eq!(
        listed.body["deployments"].as_array().unwrap().len(),
        1,
        "nothing stored"
    );
    let other_name = app
        .put(
            "/api/v1/deployments",
            &org.admin.token,
            body(&target, "api"),
        )
        .await;
    assert_eq!(other_name.status, StatusCode::OK, "{}", other_name.body);
    let other_target = kubernetes_target(&app, &org, "k2").await;
    let elsewhere = app
        .put(
            "/api/v1/deployments",
            &org.admin.token,
            body(&other_target, "web"),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.body);
    assert_eq!(elsewhere.body["releaseName"], "web");
}

async fn set_agent_version(app: &TestApp, f: &Fixture, name: &str) {
    let version = distr_hub::server::register_agent_version(
        app.state.store.as_ref(),
        app.state.clock.as_ref(),
        name,
        None,
        None,
    )
    .await
    .unwrap();
    let reply = app
        .put(
            &format!("/api/v1/deployment-targets/{}", f.target),
            &f.org.admin.token,
            json!({"name": "t", "agentVersion": {"id": version.id}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["agentVersion"]["name"], name);
}

// HS §7 item 31: a second deployment needs a desired agent version of at least 1.6.0.
async fn second_deployment_needs_agent_1_6_0(app: TestApp) {
    let f = docker_fixture(&app).await;
    set_agent_version(&app, &f, "1.5.9").await;
    let first = app
        .put(
            "/api/v1/deployments",
            &f.org.admin.token,
            deploy_body(&f, "A=1\n"),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "the first one is fine");
    let second = app
        .put(
            "/api/v1/deployments",
            &f.org.admin.token,
            deploy_body(&f, "A=2\n"),
        )
        .await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST);
    assert_eq!(second.slug(), "agent-too-old");
    // Updating the existing deployment is not a second one.
    let update = json!({"deploymentTargetId": f.target, "deploymentId": first.body["id"], "envFileData": b64("A=3\n")});
    assert_eq!(
        app.put("/api/v1/deployments", &f.org.admin.token, update)
            .await
            .status,
        StatusCode::OK
    );
    set_agent_version(&app, &f, "1.6.0").await;
    let second = app
        .put(
            "/api/v1/deployments",
            &f.org.admin.token,
            deploy_body(&f, "A=2\n"),
        )
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
}

on_both_stores!(
    release_name_is_unique_per_target,
    second_deployment_needs_agent_1_6_0,
    deployments_created_together_get_distinct_compose_project_names,
    deployment_flow_creates_reads_updates_and_undeploys,
    deployments_outside_the_scope_are_not_found_and_readers_are_forbidden,
    unknown_secret_key_is_a_template_error_and_nothing_is_stored,
    fields_of_the_other_type_and_bad_env_lines_are_refused,
    values_that_do_not_merge_are_refused_with_the_path,
    application_type_must_match_the_target,
);
