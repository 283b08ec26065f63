//! The caller's session: `/context`, `/organizations`, switching
//! organizations, `/organization` settings and `/settings/user`.

use axum::http::{Method, StatusCode};
use base64::Engine as _;
use distr_domain::user::{Membership, UserRole};
use serde_json::{Value, json};

use super::support::TestApp;

/// The claims of a JWT, unverified.
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

// HS §7 item 4
async fn login_token_carries_the_user_claims(app: TestApp) {
    let org = app.org().await;
    let user = app.state.store.get_user(org.writer.user_id).await.unwrap();
    let reply = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": user.email.as_str(), "password": "pw"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let c = claims(reply.body["token"].as_str().unwrap());
    assert_eq!(c["aud"], "user");
    assert_eq!(c["sub"], org.writer.user_id.to_string());
    assert_eq!(c["org"], org.id.to_string());
    assert_eq!(c["role"], "read_write");
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        86_400
    );
}

// HS §7 item 81
async fn switch_context_issues_a_token_for_another_membership(app: TestApp) {
    let home = app.org().await;
    let away = app.org().await;
    let membership = Membership {
        organization_id: away.id,
        user_account_id: home.writer.user_id,
        user_role: UserRole::ReadOnly,
        customer_organization_id: Some(away.customer),
        created_at: app.state.clock.now(),
    };
    app.state
        .store
        .create_membership(&membership)
        .await
        .unwrap();
    let orgs = app.get("/api/v1/organizations", &home.writer.token).await;
    assert_eq!(orgs.status, StatusCode::OK);
    let orgs = orgs.body.as_array().unwrap().clone();
    assert_eq!(orgs.len(), 2);
    assert_eq!(orgs[0]["id"], home.id.to_string());
    assert_eq!(orgs[0]["userRole"], "read_write");
    assert_eq!(orgs[1]["customerOrganizationId"], away.customer.to_string());

    let switched = app
        .post(
            "/api/v1/auth/switch-context",
            &home.writer.token,
            json!({"organizationId": away.id}),
        )
        .await;
    assert_eq!(switched.status, StatusCode::OK, "{:?}", switched.body);
    let token = switched.body["token"].as_str().unwrap();
    let c = claims(token);
    assert_eq!(c["org"], away.id.to_string());
    assert_eq!(c["c_org"], away.customer.to_string());
    assert_eq!(c["role"], "read_only");
    let context = app.get("/api/v1/context", token).await;
    assert_eq!(context.status, StatusCode::OK);
    assert_eq!(context.body["organization"]["id"], away.id.to_string());
    assert_eq!(
        context.body["customerOrganization"]["id"],
        away.customer.to_string()
    );
    assert_eq!(context.body["customerOrganization"]["name"], "Customer A");
    assert_eq!(context.body["user"]["userRole"], "read_only");
    assert_eq!(
        context.body["availableContexts"].as_array().unwrap().len(),
        2
    );
    // The next login starts in the organization switched to.
    let user = app.state.store.get_user(home.writer.user_id).await.unwrap();
    assert_eq!(user.last_used_organization_id, Some(away.id));

    let stranger = app.org().await;
    let refused = app
        .post(
            "/api/v1/auth/switch-context",
            &home.writer.token,
            json!({"organizationId": stranger.id}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let pat = app
        .post(
            "/api/v1/settings/tokens",
            &home.writer.token,
            json!({"label": "ci"}),
        )
        .await;
    let pat = pat.body["key"].as_str().unwrap();
    let by_pat = app
        .post(
            "/api/v1/auth/switch-context",
            pat,
            json!({"organizationId": away.id}),
        )
        .await;
    assert_eq!(by_pat.status, StatusCode::FORBIDDEN);
}

/// Vendor members' context has no customer.
async fn vendor_context_has_no_customer(app: TestApp) {
    let org = app.org().await;
    let context = app.get("/api/v1/context", &org.reader.token).await;
    assert_eq!(context.status, StatusCode::OK);
    assert!(context.body.get("customerOrganization").is_none());
    assert_eq!(context.body["user"]["id"], org.reader.user_id.to_string());
    assert_eq!(context.body["organization"]["name"], "Vendor");
}

/// `GET /organization` for everyone, `PUT` for vendor admins only.
async fn organization_settings_are_admin_only(app: TestApp) {
    let org = app.org().await;
    let update = json!({"name": "Renamed", "slug": format!("acme-{}", &org.id.to_string()[..8])});
    for caller in [
        &org.writer,
        &org.reader,
        &org.customer_admin,
        &org.customer_writer,
        &org.customer_reader,
    ] {
        let read = app.get("/api/v1/organization", &caller.token).await;
        assert_eq!(read.status, StatusCode::OK);
        let write = app
            .put("/api/v1/organization", &caller.token, update.clone())
            .await;
        assert_eq!(write.status, StatusCode::FORBIDDEN);
    }
    let reply = app
        .put("/api/v1/organization", &org.admin.token, update.clone())
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["name"], "Renamed");
    assert_eq!(reply.body["slug"], update["slug"]);
    let read = app.get("/api/v1/organization", &org.reader.token).await;
    assert_eq!(read.body["slug"], update["slug"]);
}

/// Slug rules, a taken slug, and the connect-script fields.
async fn organization_update_validates_and_keeps_absent_fields(app: TestApp) {
    let org = app.org().await;
    let other = app.org().await;
    let path = "/api/v1/organization";
    let bad = app
        .put(path, &org.admin.token, json!({"name": "V", "slug": "-Bad"}))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["errors"][0]["pointer"], "/slug");
    let taken = format!("taken-{}", &other.id.to_string()[..8]);
    let first = app
        .put(
            path,
            &other.admin.token,
            json!({"name": "O", "slug": taken}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let dup = app
        .put(path, &org.admin.token, json!({"name": "V", "slug": taken}))
        .await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);
    assert_eq!(dup.slug(), "duplicate-name");
    let scripts = app
        .put(
            path,
            &org.admin.token,
            json!({
                "name": "V",
                "preConnectScript": "echo pre",
                "postConnectScript": "echo post",
                "connectScriptIsSudo": true,
                "prePostScriptsEnabled": true
            }),
        )
        .await;
    assert_eq!(scripts.status, StatusCode::OK);
    // Absent fields keep their values; null clears.
    let kept = app
        .put(
            path,
            &org.admin.token,
            json!({"name": "V2", "postConnectScript": null}),
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.body["preConnectScript"], "echo pre");
    assert!(kept.body.get("postConnectScript").is_none());
    assert_eq!(kept.body["connectScriptIsSudo"], true);
    assert_eq!(kept.body["prePostScriptsEnabled"], true);
    let stored = app.state.store.get_organization(org.id).await.unwrap();
    assert!(stored.pre_post_scripts_enabled && stored.connect_script_is_sudo);
    assert_eq!(stored.pre_connect_script.as_deref(), Some("echo pre"));
}

/// `POST /settings/user`: a name change, and a password change that needs
/// the current password and voids older tokens.
async fn own_settings_change_name_and_password(app: TestApp) {
    let org = app.org().await;
    let path = "/api/v1/settings/user";
    let renamed = app
        .post(path, &org.customer_reader.token, json!({"name": "Ada"}))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["name"], "Ada");
    assert!(renamed.body.get("token").is_none());
    let missing = app
        .post(
            path,
            &org.customer_reader.token,
            json!({"password": "new-password"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let wrong = app
        .post(
            path,
            &org.customer_reader.token,
            json!({"password": "new-password", "currentPassword": "nope"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.body["errors"][0]["pointer"], "/currentPassword");
    let changed = app
        .post(
            path,
            &org.customer_reader.token,
            json!({"password": "new-password", "currentPassword": "pw"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    let fresh = changed.body["token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/v1/context", fresh).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/context", &org.customer_reader.token)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let email = app
        .state
        .store
        .get_user(org.customer_reader.user_id)
        .await
        .unwrap()
        .email;
    let login = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email.as_str(), "password": "new-password"})),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
}

on_both_stores!(
    login_token_carries_the_user_claims,
    switch_context_issues_a_token_for_another_membership,
    vendor_context_has_no_customer,
    organization_settings_are_admin_only,
    organization_update_validates_and_keeps_absent_fields,
    own_settings_change_name_and_password,
);
