//! `PUT`/`DELETE /deployment-targets/{id}` and `GET /agent-versions`.

use axum::http::StatusCode;
use distr_domain::ids::TargetId;
use serde_json::json;

use super::support::{COMPOSE, TestApp, b64};

async fn create_target(app: &TestApp, token: &str, body: serde_json::Value) -> String {
    let reply = app.post("/api/v1/deployment-targets", token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn register(app: &TestApp, name: &str) -> String {
    let v = distr_hub::server::register_agent_version(
        app.state.store.as_ref(),
        app.state.clock.as_ref(),
        name,
        None,
        None,
    )
    .await
    .unwrap();
    v.id.to_string()
}

async fn target_update_changes_only_mutable_fields_and_wakes_the_agent(app: TestApp) {
    let org = app.org().await;
    let body =
        json!({"name": "edge", "type": "docker", "customerOrganization": {"id": org.customer}});
    let id = create_target(&app, &org.admin.token, body).await;
    let path = format!("/api/v1/deployment-targets/{id}");
    let newer = register(&app, "2.9.0").await;
    let mut changes = app.state.changes.subscribe();
    let update = json!({"name": "renamed", "metricsEnabled": false, "agentVersion": {"id": newer}});
    let reply = app.put(&path, &org.customer_writer.token, update).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["name"], "renamed");
    assert_eq!(reply.body["metricsEnabled"], false);
    assert_eq!(reply.body["agentVersion"]["name"], "2.9.0");
    assert_eq!(reply.body["agentUpdatePending"], false, "never connected");
    let target: TargetId = id.parse().unwrap();
    assert_eq!(changes.next().await, Some(target));
    let read = app.get(&path, &org.reader.token).await;
    assert_eq!(read.body["name"], "renamed");

    let immutable = json!({"name": "x", "type": "kubernetes", "agentVersion": {"id": newer}});
    let reply = app.put(&path, &org.admin.token, immutable).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.slug(), "immutable-field");
    let owner = json!({"name": "x", "customerOrganization": {"id": org.other_customer}});
    let reply = app.put(&path, &org.admin.token, owner).await;
    assert_eq!(reply.slug(), "immutable-field");
    assert_eq!(
        reply.body["errors"][0]["pointer"],
        "/customerOrganization/id"
    );
    let same_owner = json!({"name": "renamed", "customerOrganization": {"id": org.customer}});
    assert_eq!(
        app.put(&path, &org.admin.token, same_owner).await.status,
        StatusCode::OK
    );
    let unknown = json!({"name": "x", "agentVersion": {"id": uuid::Uuid::now_v7()}});
    let reply = app.put(&path, &org.admin.token, unknown).await;
    assert_eq!(reply.body["errors"][0]["pointer"], "/agentVersion/id");
    let docker_resources = json!({"name": "x", "resources": {"cpuRequest": "1", "memoryRequest": "1Mi", "cpuLimit": "1", "memoryLimit": "1Mi"}});
    let reply = app.put(&path, &org.admin.token, docker_resources).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errors"][0]["pointer"], "/resources");
}

async fn namespace_scoped_target_cannot_enable_metrics(app: TestApp) {
    let org = app.org().await;
    let body =
        json!({"name": "k", "type": "kubernetes", "namespace": "apps", "scope": "namespace"});
    let id = create_target(&app, &org.admin.token, body).await;
    let path = format!("/api/v1/deployment-targets/{id}");
    let reply = app
        .put(
            &path,
            &org.writer.token,
            json!({"name": "k", "metricsEnabled": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errors"][0]["pointer"], "/metricsEnabled");
    let resources = json!({"cpuRequest": "100m", "memoryRequest": "64Mi", "cpuLimit": "1", "memoryLimit": "1Gi"});
    let reply = app
        .put(
            &path,
            &org.writer.token,
            json!({"name": "k", "namespace": "apps", "resources": resources}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["resources"]["memoryLimit"], "1Gi");
}

async fn target_changes_follow_the_role_matrix_and_scope(app: TestApp) {
    let org = app.org().await;
    let vendor = create_target(
        &app,
        &org.admin.token,
        json!({"name": "v", "type": "docker"}),
    )
    .await;
    let path = format!("/api/v1/deployment-targets/{vendor}");
    let rename = json!({"name": "n"});
    assert_eq!(
        app.put(&path, &org.reader.token, rename.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(&path, &org.reader.token).await.status,
        StatusCode::FORBIDDEN
    );
    // Vendor-owned targets are outside every customer's scope.
    assert_eq!(
        app.put(&path, &org.customer_admin.token, rename.clone())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&path, &org.customer_writer.token).await.status,
        StatusCode::NOT_FOUND
    );
    let stranger = app.org().await;
    assert_eq!(
        app.put(&path, &stranger.admin.token, rename.clone())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&path, &stranger.admin.token).await.status,
        StatusCode::NOT_FOUND
    );

    let own = create_target(
        &app,
        &org.customer_admin.token,
        json!({"name": "c", "type": "docker"}),
    )
    .await;
    let own_path = format!("/api/v1/deployment-targets/{own}");
    assert_eq!(
        app.put(&own_path, &org.customer_reader.token, rename.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(&own_path, &org.customer_reader.token)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.put(&own_path, &org.customer_writer.token, rename)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete(&own_path, &org.customer_writer.token)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&own_path, &org.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn target_with_deployments_is_deleted_only_when_forced(app: TestApp) {
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
    let target = create_target(
        &app,
        &org.admin.token,
        json!({"name": "t", "type": "docker"}),
    )
    .await;
    let deploy = json!({"deploymentTargetId": target, "applicationVersionId": version.body["id"], "envFileData": b64("A=1\n")});
    let deployed = app
        .put("/api/v1/deployments", &org.writer.token, deploy)
        .await;
    assert_eq!(deployed.status, StatusCode::OK, "{}", deployed.body);
    let path = format!("/api/v1/deployment-targets/{target}");
    let refused = app.delete(&path, &org.writer.token).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.slug(), "not-empty");
    let bad = app
        .delete(&format!("{path}?force=yes"), &org.writer.token)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let forced = app
        .delete(&format!("{path}?force=true"), &org.writer.token)
        .await;
    assert_eq!(forced.status, StatusCode::NO_CONTENT);
    let deployment = deployed.body["id"].as_str().unwrap();
    let gone = app
        .get(
            &format!("/api/v1/deployments/{deployment}"),
            &org.admin.token,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

async fn agent_versions_are_listed_oldest_first_with_the_latest_flagged(app: TestApp) {
    let org = app.org().await;
    // The Hub's own version is registered with the first target.
    create_target(
        &app,
        &org.admin.token,
        json!({"name": "t", "type": "docker"}),
    )
    .await;
    register(&app, "2.10.0").await;
    register(&app, "2.9.0").await;
    for token in [&org.reader.token, &org.customer_reader.token] {
        let reply = app.get("/api/v1/agent-versions", token).await;
        assert_eq!(reply.status, StatusCode::OK);
        let list = reply.body.as_array().unwrap();
        let names: Vec<_> = list.iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["2.8.0", "2.10.0", "2.9.0"]);
        let latest: Vec<_> = list
            .iter()
            .filter(|v| v["latest"] == true)
            .map(|v| &v["name"])
            .collect();
        assert_eq!(latest, [&json!("2.10.0")]);
        assert!(list[0]["createdAt"].is_string() && list[0].get("templateRevision").is_none());
    }
}

on_both_stores!(
    target_update_changes_only_mutable_fields_and_wakes_the_agent,
    namespace_scoped_target_cannot_enable_metrics,
    target_changes_follow_the_role_matrix_and_scope,
    target_with_deployments_is_deleted_only_when_forced,
    agent_versions_are_listed_oldest_first_with_the_latest_flagged
);
