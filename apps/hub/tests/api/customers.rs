//! `/customer-organizations`: list with exact counts, read, rename, delete.

use axum::http::StatusCode;
use distr_domain::user::UserRole;
use serde_json::json;

use super::support::TestApp;

// HS §7 item 48: CRUD, exact counts, 409 `not-empty` while it owns targets.
async fn customers_list_with_exact_counts_and_are_renamed_and_deleted(app: TestApp) {
    let org = app.org().await;
    // Customer A has the three seeded members plus one; it owns two targets.
    app.user(org.id, UserRole::ReadOnly, Some(org.customer), "pw")
        .await;
    for name in ["t1", "t2"] {
        let reply = app
            .post(
                "/api/v1/deployment-targets",
                &org.admin.token,
                json!({"name": name, "type": "docker", "customerOrganization": {"id": org.customer}}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let list = app
        .get("/api/v1/customer-organizations", &org.reader.token)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let rows = list.body.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], "Customer A");
    assert_eq!(rows[0]["userCount"], 4);
    assert_eq!(rows[0]["deploymentTargetCount"], 2);
    assert_eq!(rows[1]["name"], "Customer B");
    assert_eq!(rows[1]["userCount"], 0);
    assert_eq!(rows[1]["deploymentTargetCount"], 0);

    let path = format!("/api/v1/customer-organizations/{}", org.customer);
    let one = app.get(&path, &org.customer_reader.token).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["userCount"], 4);

    let renamed = app
        .put(&path, &org.writer.token, json!({"name": "Customer Z"}))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.body["name"], "Customer Z");
    assert_eq!(renamed.body["deploymentTargetCount"], 2);
    let taken = app
        .put(&path, &org.writer.token, json!({"name": "Customer B"}))
        .await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
    assert_eq!(taken.slug(), "duplicate-name");

    let blocked = app.delete(&path, &org.admin.token).await;
    assert_eq!(blocked.status, StatusCode::CONFLICT);
    assert_eq!(blocked.slug(), "not-empty");
    assert_eq!(
        app.get(&path, &org.admin.token).await.status,
        StatusCode::OK
    );
}

// HS §2.5: deleting a customer cascades its memberships (their tokens stop working) and secrets.
async fn deleting_a_customer_removes_its_members_and_secrets(app: TestApp) {
    let org = app.org().await;
    let secret = app
        .post(
            "/api/v1/secrets",
            &org.customer_writer.token,
            json!({"key": "TOKEN", "value": "v"}),
        )
        .await;
    assert_eq!(secret.status, StatusCode::CREATED);
    let path = format!("/api/v1/customer-organizations/{}", org.customer);
    assert_eq!(
        app.delete(&path, &org.writer.token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&path, &org.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        app.state
            .store
            .get_membership(org.id, org.customer_writer.user_id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.get("/api/v1/applications", &org.customer_writer.token)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        app.state
            .store
            .list_secrets(org.id, Some(org.customer))
            .await
            .unwrap()
            .is_empty()
    );
}

// HS §3.4 role columns; HS §7 item 10: customers get 403 on the list.
async fn customer_routes_follow_the_role_matrix(app: TestApp) {
    let org = app.org().await;
    let own = format!("/api/v1/customer-organizations/{}", org.customer);
    let other = format!("/api/v1/customer-organizations/{}", org.other_customer);
    for caller in [
        &org.customer_admin,
        &org.customer_writer,
        &org.customer_reader,
    ] {
        let list = app
            .get("/api/v1/customer-organizations", &caller.token)
            .await;
        assert_eq!(list.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&own, &caller.token).await.status, StatusCode::OK);
        for (path, expected) in [
            (&own, StatusCode::FORBIDDEN),
            (&other, StatusCode::NOT_FOUND),
        ] {
            assert_eq!(
                app.get(path, &caller.token).await.status == StatusCode::OK,
                path == &own
            );
            let put = app.put(path, &caller.token, json!({"name": "X"})).await;
            assert_eq!(put.status, expected, "{path}");
            assert_eq!(app.delete(path, &caller.token).await.status, expected);
        }
    }
    assert_eq!(
        app.put(&own, &org.reader.token, json!({"name": "X"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(&own, &org.reader.token).await.status,
        StatusCode::FORBIDDEN
    );
    let stranger = app.org().await;
    assert_eq!(
        app.get(&own, &stranger.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&own, &stranger.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
    let bad = app.put(&own, &org.admin.token, json!({"name": ""})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["errors"][0]["pointer"], "/name");
}

on_both_stores!(
    customers_list_with_exact_counts_and_are_renamed_and_deleted,
    deleting_a_customer_removes_its_members_and_secrets,
    customer_routes_follow_the_role_matrix,
);
