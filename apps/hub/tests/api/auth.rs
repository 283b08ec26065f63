//! User authentication: JWTs, PATs, refused agent tokens, login.

use axum::http::{Method, StatusCode, header};
use distr_domain::ids::TargetId;
use distr_domain::user::UserRole;
use serde_json::json;

use super::support::{Backend, JWT_KEY, TestApp};

#[tokio::test]
async fn missing_or_garbage_credentials_get_401_with_a_challenge() {
    let app = TestApp::new(Backend::Memory).await;
    let reply = app
        .call(Method::GET, "/api/v1/applications", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.headers[header::WWW_AUTHENTICATE], "Bearer");
    assert_eq!(reply.slug(), "unauthorized");
    let reply = app.get("/api/v1/applications", "not-a-jwt").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn agent_token_is_refused_on_user_routes() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let identity = distr_hub::agent_api::token::AgentIdentity {
        target_id: TargetId::from_uuid(uuid::Uuid::now_v7()),
        organization_id: org.id,
    };
    let token = distr_hub::agent_api::token::issue(
        JWT_KEY,
        identity,
        chrono::Utc::now(),
        std::time::Duration::from_secs(60),
    )
    .unwrap();
    let reply = app.get("/api/v1/applications", &token).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/applications", &org.admin.token)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn token_signed_with_another_key_is_refused() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let other = TestApp::with_config(Backend::Memory, |c| {
        c.jwt_secret = b"another-key-another-key-another-key!".to_vec()
    })
    .await;
    let stranger = other.user(org.id, UserRole::Admin, None, "pw").await;
    assert_eq!(
        app.get("/api/v1/applications", &stranger.token)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
// HS §7 item 8 (see also users.rs, through PATCH /user-accounts)
async fn changed_role_invalidates_the_jwt() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let user = app.user(org.id, UserRole::ReadOnly, None, "pw").await;
    assert_eq!(
        app.get("/api/v1/applications", &user.token).await.status,
        StatusCode::OK
    );
    // Same user, new membership row in another org does not matter; a
    // membership whose role differs from the claims does.
    let other_org = app.org().await;
    let in_other = distr_domain::user::Membership {
        organization_id: other_org.id,
        user_account_id: user.user_id,
        user_role: UserRole::Admin,
        customer_organization_id: None,
        created_at: chrono::Utc::now(),
    };
    app.state.store.create_membership(&in_other).await.unwrap();
    assert_eq!(
        app.get("/api/v1/applications", &user.token).await.status,
        StatusCode::OK
    );
    let user_row = app.state.store.get_user(user.user_id).await.unwrap();
    let forged = distr_hub::auth::issue_user_token(
        &app.state.config,
        chrono::Utc::now(),
        &user_row,
        &distr_domain::user::Membership {
            organization_id: org.id,
            user_account_id: user.user_id,
            user_role: UserRole::Admin,
            customer_organization_id: None,
            created_at: chrono::Utc::now(),
        },
    )
    .unwrap();
    assert_eq!(
        app.get("/api/v1/applications", &forged).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn password_change_invalidates_older_tokens() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let mut user = app.state.store.get_user(org.writer.user_id).await.unwrap();
    user.password_changed_at = Some(chrono::Utc::now() + chrono::TimeDelta::seconds(5));
    app.state.store.update_user(&user).await.unwrap();
    assert_eq!(
        app.get("/api/v1/applications", &org.writer.token)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn personal_access_token_acts_with_its_owners_current_role(app: TestApp) {
    let org = app.org().await;
    let created = app
        .post(
            "/api/v1/settings/tokens",
            &org.writer.token,
            json!({"label": "ci"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let key = created.body["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("distr-") && key.len() == 38);
    let reply = app
        .post(
            "/api/v1/applications",
            &key,
            json!({"name": "via-pat", "type": "docker"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let lower = app
        .call(Method::GET, "/api/v1/applications", None, None)
        .await;
    assert_eq!(lower.status, StatusCode::UNAUTHORIZED);
    let scheme_case = axum::http::Request::get("/api/v1/applications")
        .header(header::AUTHORIZATION, format!("accesstoken {key}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.send(scheme_case).await.status, StatusCode::OK);
    let list = app.get("/api/v1/settings/tokens", &org.writer.token).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert!(
        list.body[0].get("key").is_none(),
        "the key is shown only once"
    );
    assert_eq!(list.body[0]["keyHint"], key[key.len() - 4..]);
    let id = created.body["id"].as_str().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/settings/tokens/{id}"), &org.writer.token)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/applications", &key).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.delete(&format!("/api/v1/settings/tokens/{id}"), &org.writer.token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn expired_personal_access_token_is_refused(app: TestApp) {
    let org = app.org().await;
    let text = distr_hub::auth::new_token_text();
    let token = distr_domain::user::AccessToken {
        id: distr_domain::ids::AccessTokenId::from_uuid(uuid::Uuid::now_v7()),
        created_at: chrono::Utc::now() - chrono::TimeDelta::hours(2),
        user_account_id: org.admin.user_id,
        organization_id: org.id,
        label: "old".into(),
        expires_at: Some(chrono::Utc::now() - chrono::TimeDelta::hours(1)),
        last_used_at: None,
        key_hash: distr_hub::auth::hash_token(&text),
        key_hint: text[text.len() - 4..].to_owned(),
    };
    app.state.store.create_access_token(&token).await.unwrap();
    assert_eq!(
        app.get("/api/v1/applications", &text).await.status,
        StatusCode::UNAUTHORIZED
    );
}

// HS §7 item 5
async fn login_issues_a_token_and_failures_look_identical(app: TestApp) {
    let org = app.org().await;
    let user = app.state.store.get_user(org.admin.user_id).await.unwrap();
    let ok = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": user.email.as_str(), "password": "pw"})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let token = ok.body["token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/v1/applications", token).await.status,
        StatusCode::OK
    );
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": user.email.as_str(), "password": "no"})),
        )
        .await;
    let unknown = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "nobody@example.com", "password": "no"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.slug(), "invalid-credentials");
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("requestId");
        v
    };
    assert_eq!(strip(wrong.body), strip(unknown.body));
}

on_both_stores!(
    personal_access_token_acts_with_its_owners_current_role,
    expired_personal_access_token_is_refused,
    login_issues_a_token_and_failures_look_identical,
);

#[tokio::test]
async fn eleventh_login_attempt_in_a_minute_is_rate_limited() {
    let app = TestApp::new(Backend::Memory).await;
    let body = json!({"email": "nobody@example.com", "password": "x"});
    for _ in 0..10 {
        let reply = app
            .call(Method::POST, "/api/v1/auth/login", None, Some(body.clone()))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(body))
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.headers[header::RETRY_AFTER], "60");
    assert!(reply.headers.contains_key("x-ratelimit-reset"));
}

#[tokio::test]
async fn user_api_allows_600_requests_per_principal_and_minute() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    for _ in 0..distr_hub::auth::USER_API_LIMIT {
        assert_eq!(
            app.get("/api/v1/applications", &org.reader.token)
                .await
                .status,
            StatusCode::OK
        );
    }
    let limited = app.get("/api/v1/applications", &org.reader.token).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.slug(), "rate-limited");
    assert_eq!(limited.headers["x-ratelimit-limit"], "600");
    // Another principal has its own window.
    assert_eq!(
        app.get("/api/v1/applications", &org.writer.token)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn disabled_rate_limits_never_refuse() {
    let app = TestApp::with_config(Backend::Memory, |c| c.rate_limit_enabled = false).await;
    let body = json!({"email": "nobody@example.com", "password": "x"});
    for _ in 0..15 {
        let reply = app
            .call(Method::POST, "/api/v1/auth/login", None, Some(body.clone()))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
}
