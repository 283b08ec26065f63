//! `/secrets`: listing without values, value changes that add
//! `secret_changed` revisions, and deletion while in use.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::deployments::{Fixture, deploy_body, docker_fixture};
use super::support::TestApp;

async fn create_secret(app: &TestApp, token: &str, body: Value) -> String {
    let reply = app.post("/api/v1/secrets", token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn deploy(app: &TestApp, f: &Fixture, target: &str, env: &str) -> String {
    let mut body = deploy_body(f, env);
    body["deploymentTargetId"] = json!(target);
    let reply = app
        .put("/api/v1/deployments", &f.org.admin.token, body)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// The triggers of a deployment's revisions, newest first.
async fn triggers(app: &TestApp, f: &Fixture, deployment: &str) -> Vec<String> {
    let reply = app
        .get(
            &format!("/api/v1/deployments/{deployment}/revisions"),
            &f.org.admin.token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["trigger"].as_str().unwrap().to_owned())
        .collect()
}

// HS §7 item 80: a changed value adds exactly one `secret_changed` revision to
// each deployment of the scope whose current revision references the key.
// HS §7 item 56: deleting a referenced secret gets 409 `in-use`.
async fn changed_value_adds_revisions_and_referenced_secret_is_in_use(app: TestApp) {
    let f = docker_fixture(&app).await;
    let token = &f.org.customer_writer.token;
    let secret = create_secret(&app, token, json!({"key": "DB", "value": "first-value"})).await;
    create_secret(
        &app,
        &f.org.admin.token,
        json!({"key": "DB", "value": "vendor-value"}),
    )
    .await;
    let vendor_target = app
        .post(
            "/api/v1/deployment-targets",
            &f.org.admin.token,
            json!({"name": "vendor", "type": "docker"}),
        )
        .await;
    let vendor_target = vendor_target.body["id"].as_str().unwrap().to_owned();
    let uses = "A={{ .Secrets.DB }}\n";
    let hit = deploy(&app, &f, &f.target, uses).await;
    let miss = deploy(&app, &f, &f.target, "A=1\n").await;
    let vendor = deploy(&app, &f, &vendor_target, uses).await;
    let mut changes = app.state.changes.subscribe();

    let path = format!("/api/v1/secrets/{secret}");
    let changed = app
        .put(&path, token, json!({"value": "second-value"}))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(!changed.body.to_string().contains("second-value"));
    assert_eq!(changed.body["key"], "DB");
    assert_eq!(
        changed.body["updatedByUserAccountId"],
        json!(f.org.customer_writer.user_id)
    );
    assert_eq!(triggers(&app, &f, &hit).await, ["secret_changed", "user"]);
    assert_eq!(triggers(&app, &f, &miss).await, ["user"]);
    assert_eq!(triggers(&app, &f, &vendor).await, ["user"]);
    assert_eq!(
        changes.next().await.map(|t| t.to_string()),
        Some(f.target.clone()),
        "the agent is woken"
    );
    let stored = app
        .state
        .store
        .get_secret(f.org.id, secret.parse().unwrap())
        .await
        .unwrap();
    let aad = distr_hub::agent_api::render::secret_aad(f.org.id, stored.id);
    assert_eq!(
        app.state
            .cipher
            .decrypt(&stored.value_ciphertext, &aad)
            .unwrap(),
        b"second-value"
    );

    let blocked = app.delete(&path, token).await;
    assert_eq!(blocked.status, StatusCode::CONFLICT);
    assert_eq!(blocked.slug(), "in-use");
    let undeploy = app
        .delete(&format!("/api/v1/deployments/{hit}"), &f.org.admin.token)
        .await;
    assert_eq!(undeploy.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.delete(&path, token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.put(&path, token, json!({"value": "x"})).await.status,
        StatusCode::NOT_FOUND
    );
}

// HS §7 item 53: the list shows keys and metadata, never values; HS §3.3 scopes it.
async fn secrets_are_listed_per_scope_without_values(app: TestApp) {
    let f = docker_fixture(&app).await;
    let org = &f.org;
    create_secret(
        &app,
        &org.admin.token,
        json!({"key": "VENDOR", "value": "vendor-secret-value"}),
    )
    .await;
    create_secret(
        &app,
        &org.customer_writer.token,
        json!({"key": "OWN", "value": "own-secret-value"}),
    )
    .await;
    create_secret(
        &app,
        &org.admin.token,
        json!({"key": "OTHER", "value": "other-secret-value", "customerOrganizationId": org.other_customer}),
    )
    .await;
    let keys = |body: &Value| -> Vec<String> {
        assert!(!body.to_string().contains("secret-value"), "{body}");
        body.as_array()
            .unwrap()
            .iter()
            .map(|s| s["key"].as_str().unwrap().to_owned())
            .collect()
    };
    let vendor = app.get("/api/v1/secrets", &org.reader.token).await;
    assert_eq!(vendor.status, StatusCode::OK);
    assert_eq!(keys(&vendor.body), ["VENDOR"]);
    let other = app
        .get(
            &format!(
                "/api/v1/secrets?customerOrganizationId={}",
                org.other_customer
            ),
            &org.reader.token,
        )
        .await;
    assert_eq!(keys(&other.body), ["OTHER"]);
    assert_eq!(
        other.body[0]["customerOrganizationId"],
        json!(org.other_customer)
    );
    let own = app.get("/api/v1/secrets", &org.customer_reader.token).await;
    assert_eq!(keys(&own.body), ["OWN"]);
    let foreign = app
        .get(
            &format!(
                "/api/v1/secrets?customerOrganizationId={}",
                org.other_customer
            ),
            &org.customer_reader.token,
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let stranger = app.org().await;
    let reply = app
        .get(
            &format!("/api/v1/secrets?customerOrganizationId={}", org.customer),
            &stranger.admin.token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

// HS §3.4 role columns of PUT/DELETE /secrets/{id}: 403 for visible secrets the
// role may not change, 404 outside the scope.
async fn secret_changes_follow_the_role_matrix(app: TestApp) {
    let f = docker_fixture(&app).await;
    let org = &f.org;
    let vendor = create_secret(&app, &org.admin.token, json!({"key": "V", "value": "v"})).await;
    let own = create_secret(
        &app,
        &org.customer_writer.token,
        json!({"key": "C", "value": "c"}),
    )
    .await;
    let stranger = app.org().await;
    for (token, secret, expected) in [
        (&org.reader.token, &vendor, StatusCode::FORBIDDEN),
        (&org.customer_reader.token, &own, StatusCode::FORBIDDEN),
        (&org.customer_writer.token, &vendor, StatusCode::NOT_FOUND),
        (&org.customer_admin.token, &vendor, StatusCode::NOT_FOUND),
        (&stranger.admin.token, &own, StatusCode::NOT_FOUND),
    ] {
        let path = format!("/api/v1/secrets/{secret}");
        assert_eq!(
            app.put(&path, token, json!({"value": "x"})).await.status,
            expected
        );
        assert_eq!(app.delete(&path, token).await.status, expected);
    }
    let path = format!("/api/v1/secrets/{own}");
    let missing = app.put(&path, &org.writer.token, json!({})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.body["errors"][0]["pointer"], "/value");
    let big = "x".repeat(64 * 1024 + 1);
    let too_big = app
        .put(&path, &org.writer.token, json!({"value": big}))
        .await;
    assert_eq!(too_big.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.put(&path, &org.writer.token, json!({"value": "y"}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete(&path, &org.customer_admin.token).await.status,
        StatusCode::NO_CONTENT
    );
}

on_both_stores!(
    changed_value_adds_revisions_and_referenced_secret_is_in_use,
    secrets_are_listed_per_scope_without_values,
    secret_changes_follow_the_role_matrix,
);
