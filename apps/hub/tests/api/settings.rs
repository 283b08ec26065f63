//! Customer organizations and secrets.

use axum::http::StatusCode;
use distr_domain::ids::SecretId;
use serde_json::json;

use super::support::TestApp;

async fn only_vendor_writers_create_customer_organizations(app: TestApp) {
    let org = app.org().await;
    for (caller, expected) in [
        (&org.admin, StatusCode::CREATED),
        (&org.writer, StatusCode::CREATED),
        (&org.reader, StatusCode::FORBIDDEN),
        (&org.customer_admin, StatusCode::FORBIDDEN),
        (&org.customer_writer, StatusCode::FORBIDDEN),
    ] {
        let name = format!("C {}", uuid::Uuid::now_v7());
        let reply = app
            .post(
                "/api/v1/customer-organizations",
                &caller.token,
                json!({"name": name}),
            )
            .await;
        assert_eq!(reply.status, expected);
    }
    let dup = app
        .post(
            "/api/v1/customer-organizations",
            &org.admin.token,
            json!({"name": "Customer A"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);
    assert_eq!(dup.slug(), "duplicate-name");
}

async fn secret_values_are_stored_encrypted_and_never_returned(app: TestApp) {
    let org = app.org().await;
    let reply = app
        .post(
            "/api/v1/secrets",
            &org.writer.token,
            json!({"key": "DB_PASSWORD", "value": "hunter2-very-secret"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert!(!reply.body.to_string().contains("hunter2"));
    assert_eq!(reply.body["key"], "DB_PASSWORD");
    let stored = app.state.store.list_secrets(org.id, None).await.unwrap();
    let secret = stored
        .iter()
        .find(|s| s.key.as_str() == "DB_PASSWORD")
        .unwrap();
    assert!(!String::from_utf8_lossy(&secret.value_ciphertext).contains("hunter2"));
    let id: SecretId = reply.body["id"].as_str().unwrap().parse().unwrap();
    let aad = distr_hub::agent_api::render::secret_aad(org.id, id);
    assert_eq!(
        app.state
            .cipher
            .decrypt(&secret.value_ciphertext, &aad)
            .unwrap(),
        b"hunter2-very-secret"
    );
}

async fn customer_secrets_are_scoped_to_the_callers_customer(app: TestApp) {
    let org = app.org().await;
    let body = json!({"key": "TOKEN", "value": "v", "customerOrganizationId": org.other_customer});
    let reply = app
        .post("/api/v1/secrets", &org.customer_writer.token, body)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["customerOrganizationId"], json!(org.customer));
    let reply = app
        .post(
            "/api/v1/secrets",
            &org.customer_reader.token,
            json!({"key": "X", "value": "v"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .post(
            "/api/v1/secrets",
            &org.admin.token,
            json!({"key": "1bad", "value": "v"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errors"][0]["pointer"], "/key");
}

on_both_stores!(
    only_vendor_writers_create_customer_organizations,
    secret_values_are_stored_encrypted_and_never_returned,
    customer_secrets_are_scoped_to_the_callers_customer,
);
