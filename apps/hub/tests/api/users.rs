//! `/user-accounts`, invites and reset links (HS §3.4 "Users and customers").

use axum::http::{Method, StatusCode};
use chrono::TimeDelta;
use distr_domain::user::UserRole;
use serde_json::{Value, json};

use super::support::{Caller, TestApp};

/// The `token` query parameter of an invite or reset URL.
fn link_token(url: &str) -> &str {
    url.split_once("?token=").map(|(_, t)| t).unwrap()
}

async fn patch(app: &TestApp, path: &str, token: &str, body: Value) -> super::support::Reply {
    app.call(Method::PATCH, path, Some(token), Some(body)).await
}

async fn public_post(app: &TestApp, path: &str, body: Value) -> super::support::Reply {
    app.call(Method::POST, path, None, Some(body)).await
}

fn invite(email: &str, role: &str, customer: Option<String>) -> Value {
    json!({"email": email, "name": "Invited", "userRole": role, "customerOrganizationId": customer})
}

// HS §7 item 49
async fn invite_link_sets_the_password_once_and_logs_in(app: TestApp) {
    let org = app.org().await;
    let created = app
        .post(
            "/api/v1/user-accounts",
            &org.admin.token,
            invite("new@example.com", "read_write", None),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["user"]["active"], false);
    assert_eq!(created.body["user"]["userRole"], "read_write");
    let url = created.body["inviteUrl"].as_str().unwrap();
    assert!(
        url.starts_with("http://localhost:8080/join?token="),
        "{url}"
    );
    let token = link_token(url);
    // A reset endpoint does not take an invite.
    let wrong = public_post(
        &app,
        "/api/v1/auth/reset-password",
        json!({"token": token, "password": "secret-pass"}),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let short = public_post(
        &app,
        "/api/v1/auth/accept-invite",
        json!({"token": token, "password": "short"}),
    )
    .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    let accepted = public_post(
        &app,
        "/api/v1/auth/accept-invite",
        json!({"token": token, "name": "Grace", "password": "secret-pass"}),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
    let session = accepted.body["token"].as_str().unwrap();
    let context = app.get("/api/v1/context", session).await;
    assert_eq!(context.status, StatusCode::OK);
    assert_eq!(context.body["user"]["name"], "Grace");
    assert_eq!(context.body["user"]["active"], true);
    assert_eq!(context.body["organization"]["id"], org.id.to_string());
    let login = public_post(
        &app,
        "/api/v1/auth/login",
        json!({"email": "new@example.com", "password": "secret-pass"}),
    )
    .await;
    assert_eq!(login.status, StatusCode::OK);
    let reused = public_post(
        &app,
        "/api/v1/auth/accept-invite",
        json!({"token": token, "password": "other-pass"}),
    )
    .await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    // An active account gets no new invite link.
    let id = created.body["user"]["id"].as_str().unwrap();
    let again = app
        .post(
            &format!("/api/v1/user-accounts/{id}/invite"),
            &org.admin.token,
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
}

// HS §7 item 49
async fn expired_invite_link_fails_and_a_new_one_works(app: TestApp) {
    let org = app.org().await;
    let created = app
        .post(
            "/api/v1/user-accounts",
            &org.admin.token,
            invite("late@example.com", "read_only", None),
        )
        .await;
    let id: distr_domain::ids::UserAccountId = created.body["user"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let user = app.state.store.get_user(id).await.unwrap();
    let lifetime = TimeDelta::from_std(app.state.config.invite_token_valid).unwrap();
    let expired = distr_hub::auth::issue_link_token(
        &app.state.config,
        app.state.clock.now() - lifetime - TimeDelta::minutes(1),
        distr_hub::auth::LinkPurpose::Invite,
        &user,
        Some(org.id),
    )
    .unwrap();
    let reply = public_post(
        &app,
        "/api/v1/auth/accept-invite",
        json!({"token": expired, "password": "secret-pass"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let fresh = app
        .post(
            &format!("/api/v1/user-accounts/{id}/invite"),
            &org.admin.token,
            json!({}),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::OK);
    let token = link_token(fresh.body["inviteUrl"].as_str().unwrap());
    let reply = public_post(
        &app,
        "/api/v1/auth/accept-invite",
        json!({"token": token, "password": "secret-pass"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

// HS §7 item 50
async fn inviting_follows_the_role_columns(app: TestApp) {
    let org = app.org().await;
    let vendor = invite("v@example.com", "read_only", None);
    let customer = invite("c@example.com", "read_only", Some(org.customer.to_string()));
    let vw = app
        .post("/api/v1/user-accounts", &org.writer.token, vendor.clone())
        .await;
    assert_eq!(vw.status, StatusCode::FORBIDDEN);
    for caller in [&org.reader, &org.customer_writer, &org.customer_reader] {
        let reply = app
            .post("/api/v1/user-accounts", &caller.token, customer.clone())
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
    let vw = app
        .post("/api/v1/user-accounts", &org.writer.token, customer)
        .await;
    assert_eq!(vw.status, StatusCode::CREATED, "{:?}", vw.body);
    assert_eq!(
        vw.body["user"]["customerOrganizationId"],
        org.customer.to_string()
    );
    // A customer admin invites into their own customer, whatever the body says.
    for body in [
        invite(
            "ca1@example.com",
            "admin",
            Some(org.other_customer.to_string()),
        ),
        invite("ca2@example.com", "read_write", None),
    ] {
        let reply = app
            .post("/api/v1/user-accounts", &org.customer_admin.token, body)
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        assert_eq!(
            reply.body["user"]["customerOrganizationId"],
            org.customer.to_string()
        );
    }
    let va = app
        .post("/api/v1/user-accounts", &org.admin.token, vendor)
        .await;
    assert_eq!(va.status, StatusCode::CREATED);
    assert!(va.body["user"].get("customerOrganizationId").is_none());
    let unknown_customer = app
        .post(
            "/api/v1/user-accounts",
            &org.admin.token,
            invite(
                "x@example.com",
                "read_only",
                Some(uuid::Uuid::now_v7().to_string()),
            ),
        )
        .await;
    assert_eq!(unknown_customer.status, StatusCode::BAD_REQUEST);
}

/// An existing account is added directly, without an invite link.
async fn existing_account_joins_without_a_link(app: TestApp) {
    let org = app.org().await;
    let other = app.org().await;
    let email = app
        .state
        .store
        .get_user(other.writer.user_id)
        .await
        .unwrap()
        .email;
    let reply = app
        .post(
            "/api/v1/user-accounts",
            &org.admin.token,
            invite(email.as_str(), "read_only", None),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["inviteUrl"], Value::Null);
    assert_eq!(reply.body["user"]["id"], other.writer.user_id.to_string());
    assert_eq!(reply.body["user"]["active"], true);
    let twice = app
        .post(
            "/api/v1/user-accounts",
            &org.admin.token,
            invite(email.as_str(), "read_only", None),
        )
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
}

/// Vendor callers list every member; customer callers their customer's.
async fn listing_is_scoped_to_the_callers_customer(app: TestApp) {
    let org = app.org().await;
    let all = app.get("/api/v1/user-accounts", &org.reader.token).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body.as_array().unwrap().len(), 6);
    let first = &all.body[0];
    for field in [
        "id",
        "createdAt",
        "email",
        "name",
        "userRole",
        "joinedOrgAt",
    ] {
        assert!(first.get(field).is_some(), "{field} missing in {first}");
    }
    let own = app
        .get("/api/v1/user-accounts", &org.customer_reader.token)
        .await;
    assert_eq!(own.status, StatusCode::OK);
    let own = own.body.as_array().unwrap();
    assert_eq!(own.len(), 3);
    assert!(
        own.iter()
            .all(|u| u["customerOrganizationId"] == org.customer.to_string())
    );
}

// HS §7 item 8
async fn role_change_voids_the_members_jwt(app: TestApp) {
    let org = app.org().await;
    let reply = patch(
        &app,
        &format!("/api/v1/user-accounts/{}", org.writer.user_id),
        &org.admin.token,
        json!({"userRole": "read_only", "name": "Renamed"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["userRole"], "read_only");
    assert_eq!(reply.body["name"], "Renamed");
    let old = app.get("/api/v1/applications", &org.writer.token).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

// HS §7 item 51
async fn last_vendor_admin_cannot_be_demoted_or_removed(app: TestApp) {
    let org = app.org().await;
    let me = format!("/api/v1/user-accounts/{}", org.admin.user_id);
    let demote = patch(
        &app,
        &me,
        &org.admin.token,
        json!({"userRole": "read_write"}),
    )
    .await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    assert_eq!(demote.slug(), "last-admin");
    let remove = app.delete(&me, &org.admin.token).await;
    assert_eq!(remove.status, StatusCode::CONFLICT);
    assert_eq!(remove.slug(), "last-admin");
    // With a second vendor admin, one's own role is still off limits (403),
    // while the other admin may demote and remove.
    let second = app.user(org.id, UserRole::Admin, None, "pw").await;
    let own = patch(
        &app,
        &me,
        &org.admin.token,
        json!({"userRole": "read_write"}),
    )
    .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.delete(&me, &org.admin.token).await.status,
        StatusCode::FORBIDDEN
    );
    let by_other = patch(&app, &me, &second.token, json!({"userRole": "read_write"})).await;
    assert_eq!(by_other.status, StatusCode::OK);
    let back = patch(
        &app,
        &format!("/api/v1/user-accounts/{}", second.user_id),
        &second.token,
        json!({"userRole": "read_only"}),
    )
    .await;
    assert_eq!(back.status, StatusCode::CONFLICT);
}

/// Removing a membership deletes the user's PATs in that organization.
async fn removal_revokes_the_members_access(app: TestApp) {
    let org = app.org().await;
    let pat = app
        .post(
            "/api/v1/settings/tokens",
            &org.customer_writer.token,
            json!({"label": "ci"}),
        )
        .await;
    let pat = pat.body["key"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/applications", &pat).await.status,
        StatusCode::OK
    );
    let reply = app
        .delete(
            &format!("/api/v1/user-accounts/{}", org.customer_writer.user_id),
            &org.customer_admin.token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/applications", &pat).await.status,
        StatusCode::UNAUTHORIZED
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
            .get_user(org.customer_writer.user_id)
            .await
            .is_ok()
    );
}

/// PATCH, DELETE, invite and password-reset on members, per role column:
/// vendor `read_write` only on customer users (¹), customer admins only in
/// their customer (others are 404), read-only callers 403.
async fn member_management_follows_the_role_columns(app: TestApp) {
    let org = app.org().await;
    let other_customer_user = app
        .user(org.id, UserRole::ReadOnly, Some(org.other_customer), "pw")
        .await;
    let path = |c: &Caller| format!("/api/v1/user-accounts/{}", c.user_id);
    let rename = json!({"name": "Renamed"});
    let cases: [(&Caller, &Caller, StatusCode); 8] = [
        (&org.writer, &org.reader, StatusCode::FORBIDDEN),
        (&org.writer, &org.customer_reader, StatusCode::OK),
        (&org.reader, &org.customer_reader, StatusCode::FORBIDDEN),
        (&org.customer_admin, &org.customer_reader, StatusCode::OK),
        (&org.customer_admin, &org.reader, StatusCode::NOT_FOUND),
        (
            &org.customer_admin,
            &other_customer_user,
            StatusCode::NOT_FOUND,
        ),
        (
            &org.customer_writer,
            &org.customer_reader,
            StatusCode::FORBIDDEN,
        ),
        (
            &org.customer_reader,
            &org.customer_writer,
            StatusCode::FORBIDDEN,
        ),
    ];
    for (caller, target, expected) in cases {
        let reply = patch(&app, &path(target), &caller.token, rename.clone()).await;
        assert_eq!(reply.status, expected, "PATCH {:?}", reply.body);
        let reset = app
            .post(
                &format!("{}/password-reset", path(target)),
                &caller.token,
                json!({}),
            )
            .await;
        let reset_expected = if expected == StatusCode::OK && caller.user_id == org.writer.user_id {
            StatusCode::FORBIDDEN
        } else {
            expected
        };
        assert_eq!(reset.status, reset_expected, "reset {:?}", reset.body);
        if expected != StatusCode::OK {
            let delete = app.delete(&path(target), &caller.token).await;
            assert_eq!(delete.status, expected, "DELETE {:?}", delete.body);
        }
    }
    let unknown = format!("/api/v1/user-accounts/{}", uuid::Uuid::now_v7());
    assert_eq!(
        patch(&app, &unknown, &org.admin.token, rename).await.status,
        StatusCode::NOT_FOUND
    );
    let other_org = app.org().await;
    assert_eq!(
        app.delete(&path(&other_org.reader), &org.admin.token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

// HS §7 item 78
async fn reset_links_set_a_new_password_and_void_older_tokens(app: TestApp) {
    let org = app.org().await;
    let old = org.writer.token.clone();
    assert_eq!(
        app.get("/api/v1/applications", &old).await.status,
        StatusCode::OK
    );
    let reply = app
        .post(
            &format!(
                "/api/v1/user-accounts/{}/password-reset",
                org.writer.user_id
            ),
            &org.admin.token,
            json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let url = reply.body["resetUrl"].as_str().unwrap();
    assert!(
        url.starts_with("http://localhost:8080/reset?token="),
        "{url}"
    );
    let body = json!({"token": link_token(url), "password": "brand-new-pass"});
    let invite_route = public_post(&app, "/api/v1/auth/accept-invite", body.clone()).await;
    assert_eq!(invite_route.status, StatusCode::UNAUTHORIZED);
    let reset = public_post(&app, "/api/v1/auth/reset-password", body.clone()).await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.body);
    let session = reset.body["token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/v1/applications", session).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/applications", &old).await.status,
        StatusCode::UNAUTHORIZED
    );
    let reused = public_post(&app, "/api/v1/auth/reset-password", body).await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);

    // The CLI's link (`user reset-link`) works the same way.
    let email = app
        .state
        .store
        .get_user(org.writer.user_id)
        .await
        .unwrap()
        .email;
    // Issued in the same second as the change below, but before it.
    let older = session.to_owned();
    let link = distr_hub::cli::reset_link(
        app.state.store.as_ref(),
        app.state.clock.as_ref(),
        &app.state.config,
        email.as_str(),
        Some(&org.id.to_string()),
    )
    .await
    .unwrap();
    assert_eq!(link.organization_id, org.id);
    let reset = public_post(
        &app,
        "/api/v1/auth/reset-password",
        json!({"token": link_token(&link.reset_url), "password": "third-password"}),
    )
    .await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.body);
    assert_eq!(
        app.get("/api/v1/applications", &older).await.status,
        StatusCode::UNAUTHORIZED
    );
    let login = public_post(
        &app,
        "/api/v1/auth/login",
        json!({"email": email.as_str(), "password": "third-password"}),
    )
    .await;
    assert_eq!(login.status, StatusCode::OK);
}

/// Sends `password-0` … `password-3` with one link at once; the one accepted.
async fn race(app: &TestApp, route: &str, token: &str) -> usize {
    let attempts = (0..4).map(|n| {
        public_post(
            app,
            route,
            json!({"token": token, "password": format!("password-{n}")}),
        )
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    let ok: Vec<usize> = (0..4).filter(|n| statuses[*n] == StatusCode::OK).collect();
    assert_eq!(ok.len(), 1, "{route}: {statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    ok[0]
}

// HS §7 items 49 and 78: racing uses of one invite or reset link set the
// password once (the store's compare-and-set), and the winner's password holds.
async fn racing_uses_of_one_link_succeed_once(app: TestApp) {
    let org = app.org().await;
    let created = app
        .post(
            "/api/v1/user-accounts",
            &org.admin.token,
            invite("racer@example.com", "read_only", None),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["user"]["id"].as_str().unwrap();
    let login = |n: usize| {
        public_post(
            &app,
            "/api/v1/auth/login",
            json!({"email": "racer@example.com", "password": format!("password-{n}")}),
        )
    };
    let token = link_token(created.body["inviteUrl"].as_str().unwrap());
    let winner = race(&app, "/api/v1/auth/accept-invite", token).await;
    assert_eq!(login(winner).await.status, StatusCode::OK);
    let reset = app
        .post(
            &format!("/api/v1/user-accounts/{id}/password-reset"),
            &org.admin.token,
            json!({}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.body);
    let token = link_token(reset.body["resetUrl"].as_str().unwrap());
    let winner = race(&app, "/api/v1/auth/reset-password", token).await;
    assert_eq!(login(winner).await.status, StatusCode::OK);
}

on_both_stores!(
    racing_uses_of_one_link_succeed_once,
    invite_link_sets_the_password_once_and_logs_in,
    expired_invite_link_fails_and_a_new_one_works,
    inviting_follows_the_role_columns,
    existing_account_joins_without_a_link,
    listing_is_scoped_to_the_callers_customer,
    role_change_voids_the_members_jwt,
    last_vendor_admin_cannot_be_demoted_or_removed,
    removal_revokes_the_members_access,
    member_management_follows_the_role_columns,
    reset_links_set_a_new_password_and_void_older_tokens,
);
