//! The deploy wizard's new-target owner chosen in step 1 (HS §4.5, §2.3),
//! with JavaScript off: step 2's secret helper lists exactly the chosen
//! owner's keys on first render, the server validates the owner, and a
//! customer user's new target is always their own.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::html::{Page, assert_no_external_host, docker_app, get, post};
use super::support::{Backend, Org, TestApp};

const VALUES: [&str; 3] = ["vendor-value-1", "their-value-2", "other-value-3"];

/// Docker app "Shop" and one secret per scope; returns the version id.
async fn setup(app: &TestApp, org: &Org) -> String {
    let admin = org.admin.token.as_str();
    let (_, version) = docker_app(app, admin, "Shop").await;
    for ((key, owner), value) in [
        ("VENDOR_KEY", None),
        ("THEIR_KEY", Some(org.customer)),
        ("OTHER_KEY", Some(org.other_customer)),
    ]
    .into_iter()
    .zip(VALUES)
    {
        let created = app
            .post(
                "/api/v1/secrets",
                admin,
                json!({"key": key, "value": value, "customerOrganizationId": owner}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    }
    version
}

/// Checks every page: no external host, no secret value.
fn checked(page: &Page) -> &str {
    assert_no_external_host(&page.body);
    for value in VALUES {
        assert!(!page.body.contains(value), "no secret value is rendered");
    }
    &page.body
}

/// The keys step 2's helper lists.
fn keys(body: &str) -> Vec<&str> {
    let start = body.find(r#"id="wizard-secrets""#).expect("the helper");
    let end = body[start..].find("</div>").unwrap() + start;
    ["VENDOR_KEY", "THEIR_KEY", "OTHER_KEY"]
        .into_iter()
        .filter(|k| body[start..end].contains(&format!("{{{{ .Secrets.{k} }}}}")))
        .collect()
}

async fn targets(app: &TestApp, org: &Org) -> Vec<Value> {
    let list = app
        .get("/api/v1/deployment-targets", &org.admin.token)
        .await;
    list.body.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_vendor_picks_a_customer_in_step_1_and_step_2_lists_only_its_keys() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let version = setup(&app, &org).await;
    let customer = org.customer.to_string();

    let first = get(&app, "/deployments/new", Some(admin)).await;
    let body = checked(&first);
    let choose = &body[body.find(r#"id="wizard-choose""#).unwrap()..];
    let choose = &choose[..choose.find("</form>").unwrap()];
    assert!(
        choose.contains(r#"<select name="new_owner" id="wizard-owner">"#),
        "step 1 offers the owner"
    );
    assert!(choose.contains(&format!(
        r#"<option value="{customer}" >Customer A</option>"#
    )));
    assert!(choose.contains("Customer B"));

    let second = get(
        &app,
        &format!("/deployments/new?target=new&version={version}&new_owner={customer}"),
        Some(admin),
    )
    .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let body = checked(&second);
    assert_eq!(keys(body), ["THEIR_KEY"], "only Customer A's keys");
    for other in ["VENDOR_KEY", "OTHER_KEY"] {
        assert!(!body.contains(other), "{other} is not listed");
    }
    assert!(body.contains("the secrets of Customer A"));
    let deploy = &body[body.find(r#"id="wizard-deploy""#).expect("step 2")..];
    assert!(deploy.contains(r#"<strong id="wizard-owner-name">Customer A</strong>"#));
    assert!(
        deploy.contains(&format!(
            r#"<input type="hidden" name="new_owner" value="{customer}">"#
        )),
        "step 2 carries the owner"
    );
    assert!(
        !deploy.contains("<select name=\"new_owner\""),
        "read-only on step 2"
    );
    assert!(choose_selected(body, &customer), "step 1 keeps the choice");

    let change = format!(
        "/deployments/new?step=1&#38;target=new&#38;version={version}&#38;new_owner={customer}#wizard-owner"
    );
    assert!(
        deploy.contains(&format!(r#"href="{change}""#)),
        "a change link back to step 1"
    );
    let back = get(&app, &change.replace("&#38;", "&"), Some(admin)).await;
    assert_eq!(back.status, StatusCode::OK);
    let body = checked(&back);
    assert!(!body.contains(r#"id="wizard-deploy""#), "back on step 1");
    assert!(choose_selected(body, &customer), "the owner is kept");
    assert!(
        body.contains(r#"<option value="new" selected>"#),
        "target kept"
    );
    assert!(
        body.contains(&format!(r#"<option value="{version}" selected>"#)),
        "version kept"
    );

    let created = post(
        &app,
        "/deployments/new",
        admin,
        &[
            ("target", "new"),
            ("version", &version),
            ("new_name", "edge-a"),
            ("new_owner", &customer),
            ("config", "A={{ .Secrets.THEIR_KEY }}\n"),
            ("mode", "compose"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let targets = targets(&app, &org).await;
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["name"], "edge-a");
    assert_eq!(targets[0]["customerOrganization"]["id"], customer);
}

/// Whether step 1's owner select has `id` selected.
fn choose_selected(body: &str, id: &str) -> bool {
    body.contains(&format!(r#"<option value="{id}" selected>"#))
}

#[tokio::test]
async fn a_failed_step_2_post_keeps_the_owner_and_lists_its_keys() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let version = setup(&app, &org).await;
    let other = org.other_customer.to_string();
    let page = post(
        &app,
        "/deployments/new",
        admin,
        &[
            ("target", "new"),
            ("version", &version),
            ("new_name", "edge-b"),
            ("new_owner", &other),
            ("config", "this line has no key\n"),
            ("mode", "swarm"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let body = checked(&page);
    assert!(body.contains(r#"id="form-error""#));
    assert_eq!(keys(body), ["OTHER_KEY"], "the kept owner's keys");
    assert!(!body.contains("VENDOR_KEY") && !body.contains("THEIR_KEY"));
    assert!(body.contains(&format!(
        r#"<input type="hidden" name="new_owner" value="{other}">"#
    )));
    assert!(body.contains(r#"<strong id="wizard-owner-name">Customer B</strong>"#));
    assert!(body.contains(r#"value="edge-b""#), "name kept");
    assert!(body.contains("this line has no key"), "config kept");
    assert!(body.contains(r#"value="swarm" checked"#), "mode kept");
    assert!(targets(&app, &org).await.is_empty(), "nothing created");
}

#[tokio::test]
async fn an_unknown_or_foreign_owner_is_refused_inline_and_creates_nothing() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let foreign = app.org().await;
    let admin = org.admin.token.as_str();
    let version = setup(&app, &org).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    for owner in [
        foreign.customer.to_string(),
        unknown,
        "not-an-id".to_owned(),
    ] {
        let page = get(
            &app,
            &format!("/deployments/new?target=new&version={version}&new_owner={owner}"),
            Some(admin),
        )
        .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{owner}");
        let body = checked(&page);
        assert!(body.contains(r#"id="form-error""#), "{owner}");
        assert!(body.contains("no such customer organization"), "{owner}");
        assert!(!body.contains(r#"id="wizard-deploy""#), "stays on step 1");
        assert!(!body.contains(&owner), "the refused id is not kept");
        let posted = post(
            &app,
            "/deployments/new",
            admin,
            &[
                ("target", "new"),
                ("version", &version),
                ("new_name", "edge-x"),
                ("new_owner", &owner),
                ("config", "A=1\n"),
            ],
        )
        .await;
        assert_eq!(posted.status, StatusCode::BAD_REQUEST, "{owner}");
        let body = checked(&posted);
        assert!(body.contains("no such customer organization"), "{owner}");
        assert!(targets(&app, &org).await.is_empty(), "nothing created");
    }
    let foreign_targets = app
        .get("/api/v1/deployment-targets", &foreign.admin.token)
        .await;
    assert_eq!(foreign_targets.body, json!([]));
}

#[tokio::test]
async fn a_customer_users_new_target_is_always_their_own() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let token = org.customer_writer.token.as_str();
    let version = setup(&app, &org).await;
    let first = get(&app, "/deployments/new", Some(token)).await;
    assert_eq!(first.status, StatusCode::OK);
    let body = checked(&first);
    assert!(!body.contains("wizard-owner"), "no owner select");
    assert!(!body.contains("new_owner"));

    let other = org.other_customer.to_string();
    let forged = get(
        &app,
        &format!("/deployments/new?target=new&version={version}&new_owner={other}"),
        Some(token),
    )
    .await;
    assert_eq!(forged.status, StatusCode::OK, "{}", forged.body);
    let body = checked(&forged);
    assert_eq!(keys(body), ["THEIR_KEY"], "their own keys");
    for absent in [
        "OTHER_KEY",
        "VENDOR_KEY",
        "Customer B",
        other.as_str(),
        "new_owner",
    ] {
        assert!(!body.contains(absent), "{absent}");
    }

    let created = post(
        &app,
        "/deployments/new",
        token,
        &[
            ("target", "new"),
            ("version", &version),
            ("new_name", "their-edge"),
            ("new_owner", &other),
            ("config", "A=1\n"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let targets = targets(&app, &org).await;
    assert_eq!(targets.len(), 1);
    assert_eq!(
        targets[0]["customerOrganization"]["id"],
        org.customer.to_string(),
        "the forged owner is ignored"
    );
}
