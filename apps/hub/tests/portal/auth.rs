//! Login, sessions, CSRF and headers (HS §4.1; HS §7 items 38, 44, 77).

use axum::http::StatusCode;

use super::html::{ORIGIN, assert_no_external_host, csrf, get, post, post_raw};
use super::support::{Backend, TestApp};

async fn app() -> TestApp {
    TestApp::new(Backend::Memory).await
}

#[tokio::test]
async fn login_page_works_without_javascript_and_shows_the_first_run_hint_only_while_empty() {
    let app = app().await;
    let page = get(&app, "/login", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"<form method="post" action="/login""#));
    assert!(
        page.body.contains("distr-hub admin create"),
        "first-run hint"
    );
    app.org().await;
    let page = get(&app, "/login", None).await;
    assert!(!page.body.contains("distr-hub admin create"));
    assert_no_external_host(&page.body);
}

#[tokio::test]
async fn login_sets_an_http_only_lax_session_cookie_and_redirects_to_next() {
    let app = app().await;
    let org = app.org().await;
    let email = app
        .state
        .store
        .get_user(org.admin.user_id)
        .await
        .unwrap()
        .email;
    let page = post_raw(
        &app,
        "/login",
        None,
        Some(ORIGIN),
        &[
            ("email", email.as_str()),
            ("password", "pw"),
            ("next", "/deployments?q=x"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/deployments?q=x");
    let cookie = page.header("set-cookie");
    assert!(cookie.starts_with("distr_session=ey"), "{cookie}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=86400"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert!(!cookie.contains("Secure"), "plain http host: no Secure");
    let token = cookie
        .trim_start_matches("distr_session=")
        .split(';')
        .next()
        .unwrap();
    let overview = get(&app, "/deployments", Some(token)).await;
    assert_eq!(overview.status, StatusCode::OK);
}

#[tokio::test]
async fn a_failed_login_shows_one_generic_message() {
    let app = app().await;
    let org = app.org().await;
    let email = app
        .state
        .store
        .get_user(org.admin.user_id)
        .await
        .unwrap()
        .email;
    let wrong = post_raw(
        &app,
        "/login",
        None,
        Some(ORIGIN),
        &[("email", email.as_str()), ("password", "nope")],
    )
    .await;
    let unknown = post_raw(
        &app,
        "/login",
        None,
        Some(ORIGIN),
        &[("email", "nobody@example.com"), ("password", "nope")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("invalid e-mail or password"));
    assert!(unknown.body.contains("invalid e-mail or password"));
    assert!(wrong.header("set-cookie").is_empty());
    assert!(wrong.body.contains(email.as_str()), "the e-mail is kept");
}

#[tokio::test]
async fn pages_need_the_cookie_and_never_accept_authorization_headers() {
    let app = app().await;
    let org = app.org().await;
    let anonymous = get(&app, "/deployments", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location(), "/login?next=%2Fdeployments");
    let with_header = app.get("/deployments", &org.admin.token).await;
    assert_eq!(with_header.status, StatusCode::SEE_OTHER);
    let garbage = get(&app, "/deployments", Some("not-a-jwt")).await;
    assert_eq!(garbage.status, StatusCode::SEE_OTHER);
    let ui = get(&app, "/ui/health", None).await;
    assert_eq!(ui.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_api_never_accepts_the_session_cookie() {
    let app = app().await;
    let org = app.org().await;
    let page = get(&app, "/api/v1/deployment-targets", Some(&org.admin.token)).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_portal_response_carries_the_security_headers() {
    let app = app().await;
    let org = app.org().await;
    for page in [
        get(&app, "/login", None).await,
        get(&app, "/deployments", Some(&org.admin.token)).await,
    ] {
        let csp = page.header("content-security-policy");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(page.header("referrer-policy"), "same-origin");
        assert!(!page.body.contains("<script>"), "no inline script");
    }
}

#[tokio::test]
async fn a_post_without_a_valid_csrf_token_or_with_a_foreign_origin_gets_403() {
    let app = app().await;
    let org = app.org().await;
    let token = org.admin.token.as_str();
    let good = csrf(token);
    let other_session = csrf(&org.writer.token);
    type Case<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)]);
    let cases: [Case<'_>; 5] = [
        (Some(ORIGIN), &[]),
        (Some(ORIGIN), &[("_csrf", "00ff")]),
        (Some(ORIGIN), &[("_csrf", other_session.as_str())]),
        (Some("http://evil.example"), &[("_csrf", good.as_str())]),
        (None, &[("_csrf", good.as_str())]),
    ];
    for (origin, fields) in cases {
        let page = post_raw(&app, "/logout", Some(token), origin, fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{origin:?} {fields:?}");
        assert!(page.header("set-cookie").is_empty());
    }
    let foreign_login = post_raw(
        &app,
        "/login",
        None,
        Some("http://evil.example"),
        &[("email", "a@example.com"), ("password", "x")],
    )
    .await;
    assert_eq!(foreign_login.status, StatusCode::FORBIDDEN);
    let ok = post(&app, "/logout", token, &[]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(ok.header("set-cookie").contains("Max-Age=0"));
}

#[tokio::test]
async fn static_assets_are_embedded_and_reference_no_external_host() {
    let app = app().await;
    let css = get(&app, "/static/portal.css", None).await;
    let js = get(&app, "/static/portal.js", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(js.header("content-type").starts_with("text/javascript"));
    assert!(js.body.contains("/ui/") || js.body.contains("data-live"));
    assert_no_external_host(&css.body);
    assert_no_external_host(&js.body);
}
