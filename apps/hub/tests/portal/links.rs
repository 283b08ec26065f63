//! `/join`, `/reset`, settings and the organization switcher (HS §4.4):
//! invite → join → signed in; reset links from the CLI and the API set a
//! new password and void older sessions (HS §7 item 78); the access token
//! shown once; the switcher.

use axum::http::StatusCode;
use distr_domain::user::UserRole;

use super::html::{ORIGIN, Page, assert_no_external_host, get, post, post_raw};
use super::people::{link_in, path_of};
use super::support::{Backend, TestApp};

/// The session token a response sets.
fn session_of(page: &Page) -> String {
    let cookie = page.header("set-cookie");
    assert!(cookie.starts_with("distr_session=ey"), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
    cookie
        .trim_start_matches("distr_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// Posts a link form (no session; the Hub's own Origin).
async fn use_link(app: &TestApp, page: &str, token: &str, name: &str, password: &str) -> Page {
    let mut fields = vec![("token", token), ("password", password)];
    if !name.is_empty() {
        fields.push(("name", name));
    }
    post_raw(app, page, None, Some(ORIGIN), &fields).await
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

async fn invite_then_join(app: TestApp) {
    let org = app.org().await;
    let invited = post(
        &app,
        "/users",
        &org.customer_admin.token,
        &[
            ("email", "joiner@example.com"),
            ("name", "Joiner"),
            ("role", "read_write"),
            ("from", ""),
        ],
    )
    .await;
    assert_eq!(invited.status, StatusCode::OK);
    assert_eq!(invited.header("cache-control"), "no-store");
    let link = link_in(&invited.body, "join");
    let list = get(&app, "/users", Some(&org.customer_admin.token)).await;
    assert!(!list.body.contains(&link), "the link is shown once");
    assert!(list.body.contains("invited"));
    let form = get(&app, path_of(&link), None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.header("cache-control"), "no-store");
    assert!(form.body.contains("joiner@example.com"));
    assert!(form.body.contains(r#"id="link-form""#));
    assert_no_external_host(&form.body);
    let token = token_of(&link);
    let short = use_link(&app, "/join", &token, "Joiner J.", "short").await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains(r#"id="form-error""#));
    assert!(short.header("set-cookie").is_empty());
    let joined = use_link(&app, "/join", &token, "Joiner J.", "a-long-password").await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    assert_eq!(joined.location(), "/deployments");
    let session = session_of(&joined);
    let home = get(&app, "/deployments", Some(&session)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Joiner J."));
    let context = app.get("/api/v1/context", &session).await;
    assert_eq!(
        context.body["customerOrganization"]["id"],
        org.customer.to_string()
    );
    // The link is spent, and says so.
    let again = get(&app, path_of(&link), None).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("already been used"));
    assert!(!again.body.contains(r#"id="link-form""#));
    let reuse = use_link(&app, "/join", &token, "X", "another-password").await;
    assert!(reuse.header("set-cookie").is_empty());
    let list = get(&app, "/users", Some(&org.customer_admin.token)).await;
    assert!(list.body.contains("active"));
}

#[tokio::test]
async fn invite_then_join_sets_the_password_and_signs_in_memory() {
    invite_then_join(TestApp::new(Backend::Memory).await).await;
}

#[tokio::test]
async fn invite_then_join_sets_the_password_and_signs_in_sqlite() {
    invite_then_join(TestApp::new(Backend::Sqlite).await).await;
}

#[tokio::test]
async fn an_invalid_link_explains_why() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    for page in ["/reset", "/join"] {
        let garbage = get(&app, &format!("{page}?token=not-a-token"), None).await;
        assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
        assert!(garbage.body.contains("invalid or has expired"));
        assert!(!garbage.body.contains(r#"id="link-form""#));
    }
    // A reset link is not an invite link.
    let api = app
        .post(
            &format!(
                "/api/v1/user-accounts/{}/password-reset",
                org.writer.user_id
            ),
            &org.admin.token,
            serde_json::json!({}),
        )
        .await;
    let url = api.body["resetUrl"]
        .as_str()
        .unwrap()
        .replace("/reset?", "/join?");
    let wrong = get(&app, path_of(&url), None).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
}

// HS §7 item 78: links from `distr-hub user reset-link` and from
// `POST /user-accounts/{id}/password-reset` both set a new password through
// `/reset`, after which the user's older JWTs get 401.
async fn reset_links(app: TestApp) {
    let org = app.org().await;
    let user = org.customer_writer.clone();
    let old = user.token.clone();
    assert_eq!(
        app.get("/api/v1/context", &old).await.status,
        StatusCode::OK
    );
    let email = app.state.store.get_user(user.user_id).await.unwrap().email;
    // 1. The CLI's function.
    let cli = distr_hub::cli::reset_link(
        app.state.store.as_ref(),
        app.state.clock.as_ref(),
        &app.state.config,
        email.as_str(),
        None,
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let form = get(&app, path_of(&cli.reset_url), None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(email.as_str()));
    let done = use_link(
        &app,
        "/reset",
        &token_of(&cli.reset_url),
        "",
        "first-new-password",
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let first = session_of(&done);
    assert_eq!(
        app.get("/api/v1/context", &old).await.status,
        StatusCode::UNAUTHORIZED
    );
    let stale_page = get(&app, "/deployments", Some(&old)).await;
    assert_eq!(stale_page.status, StatusCode::SEE_OTHER, "old session ends");
    assert_eq!(
        get(&app, "/deployments", Some(&first)).await.status,
        StatusCode::OK
    );
    let used = get(&app, path_of(&cli.reset_url), None).await;
    assert_eq!(used.status, StatusCode::GONE);
    let login = app
        .call(
            axum::http::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"email": email.as_str(), "password": "first-new-password"})),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    // 2. The API route, called by the customer admin.
    let api = app
        .post(
            &format!("/api/v1/user-accounts/{}/password-reset", user.user_id),
            &org.customer_admin.token,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let url = api.body["resetUrl"].as_str().unwrap().to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let done = use_link(&app, "/reset", &token_of(&url), "", "second-new-password").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let second = session_of(&done);
    assert_eq!(
        app.get("/api/v1/context", &first).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/context", &second).await.status,
        StatusCode::OK
    );
    let login = app
        .call(
            axum::http::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"email": email.as_str(), "password": "second-new-password"})),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
}

#[tokio::test]
async fn reset_links_from_the_cli_and_the_api_set_a_new_password_and_void_older_jwts_memory() {
    reset_links(TestApp::new(Backend::Memory).await).await;
}

#[tokio::test]
async fn reset_links_from_the_cli_and_the_api_set_a_new_password_and_void_older_jwts_sqlite() {
    reset_links(TestApp::new(Backend::Sqlite).await).await;
}

#[tokio::test]
async fn access_tokens_show_the_key_once_and_revoke() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let token = org.customer_reader.token.as_str();
    let created = post(
        &app,
        "/settings/access-tokens",
        token,
        &[("label", "ci"), ("expires", "")],
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.header("cache-control"), "no-store");
    let start = created.body.find("distr-").expect("the key is shown");
    let key: String = created.body[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric_or_dash)
        .collect();
    assert_eq!(
        app.get("/api/v1/context", &key).await.status,
        StatusCode::OK
    );
    let list = get(&app, "/settings/access-tokens", Some(token)).await;
    assert!(list.body.contains("ci"));
    assert!(!list.body.contains(&key), "shown once");
    let past = post(
        &app,
        "/settings/access-tokens",
        token,
        &[("label", "old"), ("expires", "2001-01-01")],
    )
    .await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
    assert!(past.body.contains("must be in the future"));
    let tokens = app.get("/api/v1/settings/tokens", token).await;
    let id = tokens.body[0]["id"].as_str().unwrap().to_owned();
    let revoked = post(
        &app,
        &format!("/settings/access-tokens/{id}/revoke"),
        token,
        &[],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/context", &key).await.status,
        StatusCode::UNAUTHORIZED
    );
}

trait KeyChar {
    fn is_ascii_alphanumeric_or_dash(&self) -> bool;
}

impl KeyChar for char {
    fn is_ascii_alphanumeric_or_dash(&self) -> bool {
        self.is_ascii_alphanumeric() || *self == '-'
    }
}

#[tokio::test]
async fn profile_and_organization_settings_save_through_the_api_rules() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let token = org.writer.token.as_str();
    let renamed = post(&app, "/settings/profile", token, &[("name", "Renamed Me")]).await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    let wrong = post(
        &app,
        "/settings/profile",
        token,
        &[("current_password", "nope"), ("password", "a-new-password")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("current password is wrong"));
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let changed = post(
        &app,
        "/settings/profile",
        token,
        &[("current_password", "pw"), ("password", "a-new-password")],
    )
    .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let fresh = session_of(&changed);
    let page = get(&app, "/settings/profile?saved=password", Some(&fresh)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Renamed Me"));
    assert_eq!(
        get(&app, "/settings/profile", Some(token)).await.status,
        StatusCode::SEE_OTHER,
        "the old session ends"
    );
    // Organization: vendor admins only; invalid slugs inline.
    let admin = org.admin.token.as_str();
    let bad = post(
        &app,
        "/settings/organization",
        admin,
        &[("name", "Vendor"), ("slug", "Not A Slug")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Not A Slug"));
    let saved = post(
        &app,
        "/settings/organization",
        admin,
        &[
            ("name", "Vendor Inc"),
            ("slug", "vendor-inc"),
            ("pre_connect_script", "echo hi"),
            ("pre_post_scripts_enabled", "on"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let read = app.get("/api/v1/organization", admin).await;
    assert_eq!(read.body["name"], "Vendor Inc");
    assert_eq!(read.body["slug"], "vendor-inc");
    assert_eq!(read.body["preConnectScript"], "echo hi");
    assert_eq!(read.body["prePostScriptsEnabled"], true);
    assert_eq!(read.body["connectScriptIsSudo"], false);
    let refused = post(
        &app,
        "/settings/organization",
        &org.customer_admin.token,
        &[("name", "Hijack")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_switcher_appears_with_several_memberships_and_switches_the_session() {
    let app = TestApp::new(Backend::Memory).await;
    let first = app.org().await;
    let second = app.org().await;
    // The first org's admin also joins the second org's customer.
    let membership = distr_domain::user::Membership {
        organization_id: second.id,
        user_account_id: first.admin.user_id,
        user_role: UserRole::ReadOnly,
        customer_organization_id: Some(second.customer),
        created_at: app.state.clock.now(),
    };
    app.state
        .store
        .create_membership(&membership)
        .await
        .unwrap();
    let token = first.admin.token.as_str();
    let home = get(&app, "/deployments", Some(token)).await;
    assert!(home.body.contains(r#"href="/switch""#));
    let page = get(&app, "/switch", Some(token)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&second.id.to_string()));
    assert!(page.body.contains("(as a customer)"));
    let switched = post(
        &app,
        "/switch",
        token,
        &[("organization_id", &second.id.to_string())],
    )
    .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let session = session_of(&switched);
    let context = app.get("/api/v1/context", &session).await;
    assert_eq!(context.body["organization"]["id"], second.id.to_string());
    let nav = get(&app, "/deployments", Some(&session)).await;
    assert!(!nav.body.contains(r#"href="/customers""#));
    let foreign = post(
        &app,
        "/switch",
        &second.admin.token,
        &[("organization_id", &first.id.to_string())],
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}
