//! The customer page's tabs (HS §4.4): Users, Secrets, Targets and (for
//! writers) Rename or delete, each a `?tab=` page load that works without
//! JavaScript and renders only its own panel; a form answers on its tab.

use axum::http::StatusCode;
use serde_json::json;

use super::html::{Page, assert_no_external_host, docker_target, get, post};
use super::support::{Backend, TestApp};

fn ok(page: &Page) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    assert_no_external_host(&page.body);
}

/// The `aria-current` tab of a customer page.
fn current_tab(body: &str) -> String {
    let nav = &body[body
        .find(r#"<nav class="tabs" aria-label="Customer">"#)
        .unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    let at = nav.find(r#"aria-current="page">"#).expect("a current tab")
        + r#"aria-current="page">"#.len();
    nav[at..].split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_customer_page_has_real_tabs_and_every_form_returns_to_its_tab() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let customer = org.customer.to_string();
    let path = format!("/customers/{customer}");
    docker_target(&app, admin, "their-box", Some(json!(org.customer))).await;
    let panels = ["tab-users", "tab-secrets", "tab-targets", "tab-settings"];
    for (query, label, panel) in [
        ("", "Users", "tab-users"),
        ("?tab=users", "Users", "tab-users"),
        ("?tab=secrets", "Secrets", "tab-secrets"),
        ("?tab=targets", "Targets", "tab-targets"),
        ("?tab=settings", "Rename or delete", "tab-settings"),
        ("?tab=bogus", "Users", "tab-users"),
    ] {
        let page = get(&app, &format!("{path}{query}"), Some(admin)).await;
        ok(&page);
        assert_eq!(current_tab(&page.body), label, "{query}");
        for other in panels {
            assert_eq!(
                page.body.contains(&format!(r#"id="{other}""#)),
                other == panel,
                "{query}: only {panel} is rendered"
            );
        }
        for tab in ["users", "secrets", "targets", "settings"] {
            assert!(
                page.body
                    .contains(&format!(r#"href="/customers/{customer}?tab={tab}""#)),
                "plain links, no script: {tab}"
            );
        }
    }
    let users = get(&app, &path, Some(admin)).await.body;
    assert!(users.contains(&format!(r#"name="from" value="{customer}""#)));
    assert!(!users.contains("their-box"), "targets only on their tab");
    // A reader has no Rename or delete tab and gets Users instead.
    let reader = get(
        &app,
        &format!("{path}?tab=settings"),
        Some(&org.reader.token),
    )
    .await;
    ok(&reader);
    assert_eq!(current_tab(&reader.body), "Users");
    assert!(!reader.body.contains("tab=settings"));
    assert!(!reader.body.contains(r#"id="customer-delete""#));
    // A refused secret comes back on the Secrets tab with the error inline.
    let bad = post(
        &app,
        "/secrets",
        admin,
        &[
            ("key", "1bad"),
            ("value", "never-shown"),
            ("from", &customer),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_no_external_host(&bad.body);
    assert_eq!(current_tab(&bad.body), "Secrets");
    assert!(bad.body.contains(r#"id="secrets-error""#));
    assert!(!bad.body.contains("never-shown"));
    // A refused invite comes back on the Users tab.
    let invite = post(
        &app,
        "/users",
        admin,
        &[
            ("email", "not-an-email"),
            ("name", "X"),
            ("role", "read_write"),
            ("from", &customer),
        ],
    )
    .await;
    assert_eq!(invite.status, StatusCode::BAD_REQUEST, "{}", invite.body);
    assert_eq!(current_tab(&invite.body), "Users");
    assert!(invite.body.contains(r#"id="users-error""#));
    // A refused rename or delete comes back on Rename or delete.
    let blank = post(&app, &format!("{path}/rename"), admin, &[("name", " ")]).await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    assert_eq!(current_tab(&blank.body), "Rename or delete");
    assert!(blank.body.contains(r#"id="customer-error""#));
    let refused = post(&app, &format!("{path}/delete"), admin, &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(current_tab(&refused.body), "Rename or delete");
}
