//! Deployment targets: creation rules, scoping and ordering.

use axum::http::StatusCode;
use serde_json::json;

use super::support::TestApp;

async fn targets_follow_the_role_matrix_and_customer_scope(app: TestApp) {
    let org = app.org().await;
    let vendor = app
        .post(
            "/api/v1/deployment-targets",
            &org.writer.token,
            json!({"name": "edge", "type": "docker"}),
        )
        .await;
    assert_eq!(vendor.status, StatusCode::CREATED, "{}", vendor.body);
    assert_eq!(vendor.body["connectionState"], "not_connected");
    assert_eq!(vendor.body["agentVersion"]["name"], "2.8.0");
    assert_eq!(vendor.body["metricsEnabled"], true);
    assert_eq!(vendor.body["deployments"], json!([]));
    // A customer's target is always its own, whatever the body says.
    let body = json!({"name": "cust", "type": "docker", "customerOrganization": {"id": org.other_customer}});
    let own = app
        .post(
            "/api/v1/deployment-targets",
            &org.customer_writer.token,
            body,
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED);
    assert_eq!(own.body["customerOrganization"]["id"], json!(org.customer));
    assert_eq!(own.body["customerOrganization"]["name"], "Customer A");
    let refused = app
        .post(
            "/api/v1/deployment-targets",
            &org.customer_reader.token,
            json!({"name": "x", "type": "docker"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = app
        .post(
            "/api/v1/deployment-targets",
            &org.reader.token,
            json!({"name": "x", "type": "docker"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let vendor_id = vendor.body["id"].as_str().unwrap();
    let hidden = app
        .get(
            &format!("/api/v1/deployment-targets/{vendor_id}"),
            &org.customer_reader.token,
        )
        .await;
    assert_eq!(
        hidden.status,
        StatusCode::NOT_FOUND,
        "outside the customer's scope"
    );
    let seen = app
        .get(
            &format!("/api/v1/deployment-targets/{vendor_id}"),
            &org.reader.token,
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    let customer_list = app
        .get("/api/v1/deployment-targets", &org.customer_reader.token)
        .await;
    assert_eq!(customer_list.body.as_array().unwrap().len(), 1);
    let vendor_list = app
        .get("/api/v1/deployment-targets", &org.reader.token)
        .await;
    let names: Vec<_> = vendor_list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["edge", "cust"], "vendor-owned targets come first");
    let stranger = app.org().await;
    let foreign = app
        .get(
            &format!("/api/v1/deployment-targets/{vendor_id}"),
            &stranger.admin.token,
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

async fn kubernetes_target_rules_are_enforced(app: TestApp) {
    let org = app.org().await;
    let missing = app
        .post(
            "/api/v1/deployment-targets",
            &org.admin.token,
            json!({"name": "k", "type": "kubernetes"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let pointers: Vec<_> = missing.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert!(pointers.contains(&"/namespace") && pointers.contains(&"/scope"));
    let body = json!({"name": "k", "type": "kubernetes", "namespace": "apps", "scope": "namespace", "metricsEnabled": true});
    let reply = app
        .post("/api/v1/deployment-targets", &org.admin.token, body)
        .await;
    assert_eq!(reply.body["errors"][0]["pointer"], "/metricsEnabled");
    let body =
        json!({"name": "k", "type": "kubernetes", "namespace": "apps", "scope": "namespace"});
    let reply = app
        .post("/api/v1/deployment-targets", &org.admin.token, body)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["metricsEnabled"], false);
    assert_eq!(reply.body["namespace"], "apps");
    let docker_ns = json!({"name": "d", "type": "docker", "namespace": "apps"});
    assert_eq!(
        app.post("/api/v1/deployment-targets", &org.admin.token, docker_ns)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

on_both_stores!(
    targets_follow_the_role_matrix_and_customer_scope,
    kubernetes_target_rules_are_enforced
);
