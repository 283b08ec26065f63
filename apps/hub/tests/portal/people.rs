//! Users, customers and secrets pages (HS §4.2, §4.4): who sees which page
//! and navigation entry, CSRF on every new POST, and the actions, each
//! through the same functions as the API (HS §7 items 76 and 77).

use axum::http::StatusCode;
use serde_json::json;

use super::html::{
    ORIGIN, Page, assert_no_external_host, csrf, docker_app, docker_target, get, post, post_raw,
};
use super::support::{Backend, Org, TestApp, b64};

/// Extracts the first `http://localhost:8080/<page>?token=…` in `body`.
pub fn link_in(body: &str, page: &str) -> String {
    let start = body
        .find(&format!("{ORIGIN}/{page}?token="))
        .unwrap_or_else(|| panic!("no /{page} link in the page"));
    body[start..]
        .split(['<', '"', ' '])
        .next()
        .unwrap()
        .to_owned()
}

/// The path and query of a link on the test Hub.
pub fn path_of(link: &str) -> &str {
    link.trim_start_matches(ORIGIN)
}

fn ok(page: &Page) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    assert_no_external_host(&page.body);
}

async fn pages_follow_the_roles(app: TestApp) {
    let org = app.org().await;
    let customer = format!("/customers/{}", org.customer);
    let roles = [
        ("VA", &org.admin),
        ("VW", &org.writer),
        ("VR", &org.reader),
        ("CA", &org.customer_admin),
        ("CW", &org.customer_writer),
        ("CR", &org.customer_reader),
    ];
    // Per page, the roles that may open it (in the order of `roles`).
    let table: [(&str, [bool; 6]); 8] = [
        ("/customers", [true, true, true, false, false, false]),
        (&customer, [true, true, true, false, false, false]),
        ("/secrets", [true; 6]),
        ("/users", [true, false, false, true, false, false]),
        ("/settings/profile", [true; 6]),
        ("/settings/access-tokens", [true; 6]),
        (
            "/settings/organization",
            [true, false, false, false, false, false],
        ),
        ("/switch", [true; 6]),
    ];
    for (path, allowed) in table {
        for ((role, caller), allowed) in roles.iter().zip(allowed) {
            let page = get(&app, path, Some(&caller.token)).await;
            if allowed {
                ok(&page);
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} {path}");
            }
        }
        let anonymous = get(&app, path, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{path}");
    }
    let elsewhere = format!("/customers/{}", uuid::Uuid::now_v7());
    let missing = get(&app, &elsewhere, Some(&org.admin.token)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_new_page_renders_for_its_roles_and_is_refused_for_the_others_memory() {
    pages_follow_the_roles(TestApp::new(Backend::Memory).await).await;
}

#[tokio::test]
async fn every_new_page_renders_for_its_roles_and_is_refused_for_the_others_sqlite() {
    pages_follow_the_roles(TestApp::new(Backend::Sqlite).await).await;
}

/// The links of the main navigation.
fn nav(page: &Page) -> Vec<&str> {
    let start = page.body.find(r#"<nav aria-label="Main">"#).unwrap();
    let end = start + page.body[start..].find("</nav>").unwrap();
    page.body[start..end]
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect()
}

// HS §7 item 76 (navigation part) and HS §4.2.
#[tokio::test]
async fn the_navigation_follows_the_role() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let all = [
        "/deployments",
        "/applications",
        "/customers",
        "/secrets",
        "/users",
        "/settings/profile",
    ];
    let cases = [
        (&org.admin, all.to_vec()),
        (
            &org.writer,
            vec![
                "/deployments",
                "/applications",
                "/customers",
                "/secrets",
                "/settings/profile",
            ],
        ),
        (
            &org.customer_admin,
            vec!["/deployments", "/secrets", "/users", "/settings/profile"],
        ),
        (
            &org.customer_writer,
            vec!["/deployments", "/secrets", "/settings/profile"],
        ),
        (
            &org.customer_reader,
            vec!["/deployments", "/secrets", "/settings/profile"],
        ),
    ];
    for (caller, expected) in cases {
        let page = get(&app, "/deployments", Some(&caller.token)).await;
        assert_eq!(nav(&page), expected);
        let settings = get(&app, "/settings/profile", Some(&caller.token)).await;
        assert_eq!(
            settings.body.contains(r#"href="/settings/organization""#),
            caller.user_id == org.admin.user_id
        );
        assert!(
            !page.body.contains(r#"href="/switch""#),
            "one membership: no switcher"
        );
    }
}

#[tokio::test]
async fn every_new_post_refuses_a_missing_or_invalid_csrf_token_and_a_foreign_origin() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let token = org.admin.token.as_str();
    let secret = app
        .post(
            "/api/v1/secrets",
            token,
            json!({"key": "K", "value": "v4lue"}),
        )
        .await;
    let secret = secret.body["id"].as_str().unwrap().to_owned();
    let member = org.writer.user_id.to_string();
    let customer = org.customer.to_string();
    let paths = [
        "/customers".to_owned(),
        format!("/customers/{customer}/rename"),
        format!("/customers/{customer}/delete"),
        "/secrets".to_owned(),
        format!("/secrets/{secret}/replace"),
        format!("/secrets/{secret}/delete"),
        "/users".to_owned(),
        format!("/users/{member}/role"),
        format!("/users/{member}/invite"),
        format!("/users/{member}/reset-link"),
        format!("/users/{member}/remove"),
        "/settings/profile".to_owned(),
        "/settings/access-tokens".to_owned(),
        format!("/settings/access-tokens/{}/revoke", uuid::Uuid::now_v7()),
        "/settings/organization".to_owned(),
        "/switch".to_owned(),
    ];
    let good = csrf(token);
    let other = csrf(&org.writer.token);
    for path in &paths {
        for (origin, fields) in [
            (Some(ORIGIN), vec![("name", "x")]),
            (Some(ORIGIN), vec![("_csrf", "00ff"), ("name", "x")]),
            (Some(ORIGIN), vec![("_csrf", other.as_str()), ("name", "x")]),
            (
                Some("http://evil.example"),
                vec![("_csrf", good.as_str()), ("name", "x")],
            ),
            (None, vec![("_csrf", good.as_str()), ("name", "x")]),
        ] {
            let page = post_raw(&app, path, Some(token), origin, &fields).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path} {origin:?}");
            assert!(page.header("set-cookie").is_empty(), "{path}");
        }
    }
    // Nothing changed.
    let customers = app.get("/api/v1/customer-organizations", token).await;
    assert_eq!(customers.body.as_array().unwrap().len(), 2);
    let secrets = app.get("/api/v1/secrets", token).await;
    assert_eq!(secrets.body.as_array().unwrap().len(), 1);
    // The public link forms have no session: Origin only, like /login.
    for path in ["/join", "/reset"] {
        let page = post_raw(
            &app,
            path,
            None,
            Some("http://evil.example"),
            &[("token", "x"), ("password", "long-enough")],
        )
        .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
}

async fn member_email(app: &TestApp, token: &str, id: &str) -> String {
    let users = app.get("/api/v1/user-accounts", token).await;
    users
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .unwrap()
}

async fn users_actions(app: TestApp) {
    let org: Org = app.org().await;
    let admin = org.admin.token.as_str();
    let page = get(&app, "/users", Some(admin)).await;
    ok(&page);
    // A vendor admin manages everyone but themselves.
    assert!(
        !page
            .body
            .contains(&format!("/users/{}/remove", org.admin.user_id))
    );
    assert!(
        page.body
            .contains(&format!("/users/{}/remove", org.writer.user_id))
    );
    // Change a role.
    let writer = org.writer.user_id.to_string();
    let changed = post(
        &app,
        &format!("/users/{writer}/role"),
        admin,
        &[("role", "read_only"), ("from", "")],
    )
    .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(changed.location(), "/users");
    let users = app.get("/api/v1/user-accounts", admin).await;
    let row = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == writer.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["userRole"], "read_only");
    // A reset link, shown once.
    let reset = post(
        &app,
        &format!("/users/{writer}/reset-link"),
        admin,
        &[("from", "")],
    )
    .await;
    ok(&reset);
    assert!(reset.body.contains("Password-reset link"));
    let email = member_email(&app, admin, &writer).await;
    assert!(reset.body.contains(&email));
    link_in(&reset.body, "reset");
    // The last vendor admin cannot remove themselves: 409 inline.
    let own = post(
        &app,
        &format!("/users/{}/remove", org.admin.user_id),
        admin,
        &[("from", "")],
    )
    .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert!(own.body.contains(r#"id="users-error""#));
    assert!(own.body.contains("at least one vendor admin"));
    assert!(own.body.contains(r#"id="members""#), "the list stays");
    // Remove a member.
    let removed = post(
        &app,
        &format!("/users/{writer}/remove"),
        admin,
        &[("from", "")],
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let users = app.get("/api/v1/user-accounts", admin).await;
    assert!(
        users
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["id"] != writer.as_str())
    );
    // A customer admin sees only their customer's members and cannot reach
    // a vendor member (404, as the API).
    let ca = org.customer_admin.token.as_str();
    let theirs = get(&app, "/users", Some(ca)).await;
    ok(&theirs);
    assert!(!theirs.body.contains(&org.reader.user_id.to_string()));
    assert!(
        theirs
            .body
            .contains(&org.customer_writer.user_id.to_string())
    );
    let vendor = post(
        &app,
        &format!("/users/{}/remove", org.reader.user_id),
        ca,
        &[("from", "")],
    )
    .await;
    assert_eq!(vendor.status, StatusCode::NOT_FOUND);
    // Invalid invites are shown inline and keep the input.
    let bad = post(
        &app,
        "/users",
        ca,
        &[
            ("email", "not-an-email"),
            ("name", "Somebody"),
            ("role", "read_only"),
            ("from", ""),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("not-an-email"));
    assert!(bad.body.contains(r#"id="users-error""#));
    // Inviting an existing account (another organization's admin) adds it
    // and says so; there is no link to show.
    let other: Org = app.org().await;
    let other_email = member_email(
        &app,
        other.admin.token.as_str(),
        &other.admin.user_id.to_string(),
    )
    .await;
    let added = post(
        &app,
        "/users",
        admin,
        &[
            ("email", other_email.as_str()),
            ("name", "Other Admin"),
            ("role", "read_only"),
            ("from", ""),
        ],
    )
    .await;
    ok(&added);
    assert!(
        added.body.contains(r#"id="member-added""#),
        "{}",
        added.body
    );
    assert!(added.body.contains(&other_email));
    assert!(!added.body.contains(r#"id="shown-link""#));
}

#[tokio::test]
async fn users_page_changes_roles_issues_reset_links_and_removes_members_memory() {
    users_actions(TestApp::new(Backend::Memory).await).await;
}

#[tokio::test]
async fn users_page_changes_roles_issues_reset_links_and_removes_members_sqlite() {
    users_actions(TestApp::new(Backend::Sqlite).await).await;
}

#[tokio::test]
async fn customers_are_created_renamed_and_deleted_with_not_empty_shown_inline() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let list = get(&app, "/customers", Some(admin)).await;
    ok(&list);
    assert!(list.body.contains("Customer A"));
    assert!(list.body.contains(r#"id="customer-create""#));
    let reader = get(&app, "/customers", Some(&org.reader.token)).await;
    assert!(
        !reader.body.contains(r#"id="customer-create""#),
        "forbidden actions hidden"
    );
    let created = post(&app, "/customers", admin, &[("name", "Initech")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let detail_path = created.location().to_owned();
    let detail = get(&app, &detail_path, Some(admin)).await;
    ok(&detail);
    assert!(detail.body.contains("Initech"));
    assert!(
        detail.body.contains(r#"id="tab-users""#),
        "the Users tab by default"
    );
    let blank = post(&app, "/customers", admin, &[("name", "  ")]).await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    assert!(blank.body.contains(r#"id="form-error""#));
    let renamed = post(
        &app,
        &format!("{detail_path}/rename"),
        admin,
        &[("name", "Initrode")],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        renamed.location(),
        format!("{detail_path}?tab=settings"),
        "back to the tab the form is on"
    );
    let detail = get(&app, &detail_path, Some(admin)).await;
    assert!(detail.body.contains("Initrode"));
    // A customer that owns a target cannot be deleted: 409 inline.
    let owner = format!("/customers/{}", org.customer);
    docker_target(&app, admin, "their-box", Some(json!(org.customer))).await;
    let page = get(&app, &format!("{owner}?tab=targets"), Some(admin)).await;
    ok(&page);
    assert!(page.body.contains("their-box"), "the Targets tab");
    assert!(
        page.body
            .contains(r#"class="dot dot-grey" role="img" aria-label="Not connected""#),
        "a never-seen target shows the grey dot with its label"
    );
    let refused = post(&app, &format!("{owner}/delete"), admin, &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains(r#"id="customer-error""#));
    assert!(refused.body.contains("still owns deployment targets"));
    // A vendor reader may not.
    let forbidden = post(
        &app,
        &format!("{detail_path}/delete"),
        &org.reader.token,
        &[],
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let deleted = post(&app, &format!("{detail_path}/delete"), admin, &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(deleted.location(), "/customers");
    let gone = get(&app, &detail_path, Some(admin)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    // Invite from the customer's Users tab: into that customer, link once.
    let invited = post(
        &app,
        "/users",
        &org.writer.token,
        &[
            ("email", "new.customer.user@example.com"),
            ("name", "New User"),
            ("role", "read_write"),
            ("from", &org.customer.to_string()),
        ],
    )
    .await;
    ok(&invited);
    assert!(invited.body.contains("Invite link"));
    link_in(&invited.body, "join");
    let users = app
        .get("/api/v1/user-accounts", &org.customer_admin.token)
        .await;
    assert!(
        users
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["email"] == "new.customer.user@example.com")
    );
}

async fn secrets_flow(app: TestApp) {
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let created = post(
        &app,
        "/secrets",
        admin,
        &[("key", "DB_PASS"), ("value", "s3cr3t-value"), ("from", "")],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let page = get(&app, "/secrets", Some(admin)).await;
    ok(&page);
    assert!(page.body.contains("DB_PASS"));
    assert!(!page.body.contains("s3cr3t-value"), "values never shown");
    // A bad key keeps the key but never the value.
    let bad = post(
        &app,
        "/secrets",
        admin,
        &[("key", "1bad"), ("value", "kept-nowhere"), ("from", "")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("1bad"));
    assert!(!bad.body.contains("kept-nowhere"));
    // Customer secrets from the customer's page, and customers see only theirs.
    let customer = org.customer.to_string();
    let theirs = post(
        &app,
        "/secrets",
        admin,
        &[
            ("key", "API_KEY"),
            ("value", "their-value"),
            ("from", &customer),
        ],
    )
    .await;
    assert_eq!(theirs.status, StatusCode::SEE_OTHER);
    assert_eq!(
        theirs.location(),
        format!("/customers/{customer}?tab=secrets")
    );
    let own = get(&app, "/secrets", Some(&org.customer_reader.token)).await;
    ok(&own);
    assert!(own.body.contains("API_KEY"));
    assert!(!own.body.contains("DB_PASS"));
    assert!(
        !own.body.contains(r#"id="secret-create""#),
        "readers cannot write"
    );
    // A deployment that references the key keeps it in use.
    let target = docker_target(&app, admin, "box", None).await;
    let (_, version) = docker_app(&app, admin, "Shop").await;
    let put = app
        .put(
            "/api/v1/deployments",
            admin,
            json!({"deploymentTargetId": target, "applicationVersionId": version,
                   "envFileData": b64("A={{ .Secrets.DB_PASS }}\n")}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let deployment = put.body["id"].as_str().unwrap().to_owned();
    let secrets = app.get("/api/v1/secrets", admin).await;
    let id = secrets.body[0]["id"].as_str().unwrap().to_owned();
    let replaced = post(
        &app,
        &format!("/secrets/{id}/replace"),
        admin,
        &[("value", "n3w-value"), ("from", "")],
    )
    .await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER);
    let revisions = app
        .get(
            &format!("/api/v1/deployments/{deployment}/revisions"),
            admin,
        )
        .await;
    assert_eq!(revisions.body[0]["trigger"], "secret_changed");
    let refused = post(
        &app,
        &format!("/secrets/{id}/delete"),
        admin,
        &[("from", "")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains(r#"id="secret-in-use""#));
    assert!(refused.body.contains(&format!("/deployments/{deployment}")));
    assert!(!refused.body.contains("n3w-value"));
    app.delete(&format!("/api/v1/deployments/{deployment}"), admin)
        .await;
    let deleted = post(
        &app,
        &format!("/secrets/{id}/delete"),
        admin,
        &[("from", "")],
    )
    .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let page = get(&app, "/secrets", Some(admin)).await;
    assert!(!page.body.contains("DB_PASS"));
}

#[tokio::test]
async fn secrets_are_created_replaced_write_only_and_deletion_lists_the_users_memory() {
    secrets_flow(TestApp::new(Backend::Memory).await).await;
}

#[tokio::test]
async fn secrets_are_created_replaced_write_only_and_deletion_lists_the_users_sqlite() {
    secrets_flow(TestApp::new(Backend::Sqlite).await).await;
}
