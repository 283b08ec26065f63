//! The catalogue in a real browser (HS §4.4, the browser list): a
//! vendor creates a Docker Compose application and a Helm application
//! through the portal's forms, adds a version to each by typing into the
//! version form, and the deploy wizard then offers both; and the vendor
//! archives a version, which the wizard then no longer offers (HS §7 item
//! 45). Skips like the other browser tests without Chromium unless
//! `DISTR_REQUIRE_BROWSER=1`.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use fantoccini::{Client, Locator};
use serde_json::json;

use super::browser::{browser, login, screenshot, serve, start_driver, wait_for_text};
use super::html::docker_app;

async fn type_into(client: &Client, id: &str, text: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

async fn click(client: &Client, id: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits until the browser has left `path` and returns the new path.
async fn left(client: &Client, path: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = client.current_url().await.unwrap().path().to_owned();
        if now != path {
            return now;
        }
        assert!(Instant::now() < deadline, "still on {path}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Creates an application of `kind` through `/applications` and returns
/// its page's path.
async fn create_application(client: &Client, base: &str, name: &str, kind: &str) -> String {
    client.goto(&format!("{base}/applications")).await.unwrap();
    type_into(client, "application-name", name).await;
    client
        .find(Locator::Css("select[name=type]"))
        .await
        .unwrap()
        .select_by_value(kind)
        .await
        .unwrap();
    click(client, "application-create").await;
    let page = left(client, "/applications").await;
    wait_for_text(client, "h1", name, Duration::from_secs(5)).await;
    page
}

/// Opens the new-version form of `application` (a path) and returns it.
async fn version_form(client: &Client, base: &str, application: &str) -> String {
    let path = format!("{application}/versions/new");
    client.goto(&format!("{base}{path}")).await.unwrap();
    client
        .wait()
        .for_element(Locator::Id("version-name"))
        .await
        .unwrap();
    path
}

#[tokio::test]
async fn a_vendor_creates_a_docker_and_a_helm_application_in_a_real_browser() {
    let Some(driver) = start_driver() else { return };
    let profile = tempfile::tempdir().unwrap();
    let (app, base) = serve().await;
    let org = app.org().await;
    let email = app
        .state
        .store
        .get_user(org.admin.user_id)
        .await
        .unwrap()
        .email;
    let client = browser(&driver, profile.path()).await;
    login(&client, &base, email.as_str()).await;

    // A Docker Compose application and its first version, typed in.
    let shop = create_application(&client, &base, "Shop", "docker").await;
    let form = version_form(&client, &base, &shop).await;
    type_into(&client, "version-name", "1.0.0").await;
    type_into(
        &client,
        "compose-file",
        "services:\n  web:\n    image: shop:1.0.0\n    environment:\n      PORT: ${PORT}\n",
    )
    .await;
    type_into(&client, "template-file", "PORT=8080\n").await;
    click(&client, "version-create").await;
    assert_eq!(left(&client, &form).await, shop, "back on the application");
    wait_for_text(&client, "main", "1.0.0", Duration::from_secs(5)).await;

    // A Helm application and a repository chart version.
    let chart = create_application(&client, &base, "Shop chart", "kubernetes").await;
    let form = version_form(&client, &base, &chart).await;
    type_into(&client, "version-name", "0.1.0").await;
    client
        .find(Locator::Css("select[name=chart_type]"))
        .await
        .unwrap()
        .select_by_value("repository")
        .await
        .unwrap();
    type_into(&client, "chart-url", "https://charts.invalid/shop").await;
    type_into(&client, "chart-name", "shop").await;
    type_into(&client, "chart-version", "0.1.0").await;
    type_into(&client, "values-file", "replicaCount: 1\n").await;
    click(&client, "version-create").await;
    assert_eq!(left(&client, &form).await, chart, "back on the application");
    wait_for_text(&client, "main", "0.1.0", Duration::from_secs(5)).await;

    // The list shows both types; the wizard offers both versions.
    client.goto(&format!("{base}/applications")).await.unwrap();
    let list = client.source().await.unwrap();
    assert!(list.contains("Docker Compose") && list.contains("Helm chart"));
    screenshot(&client, "applications").await;
    client
        .goto(&format!("{base}/deployments/new"))
        .await
        .unwrap();
    let wizard = client.source().await.unwrap();
    assert!(wizard.contains("Shop 1.0.0 (docker)"), "docker offered");
    assert!(
        wizard.contains("Shop chart 0.1.0 (kubernetes)"),
        "helm offered"
    );
    client.close().await.unwrap();
}

/// HS §7 item 45 in the browser: the vendor archives a version on the
/// application page, and the wizard then no longer offers it.
#[tokio::test]
async fn a_vendor_archives_a_version_in_a_real_browser() {
    let Some(driver) = start_driver() else { return };
    let profile = tempfile::tempdir().unwrap();
    let (app, base) = serve().await;
    let org = app.org().await;
    let admin_email = app
        .state
        .store
        .get_user(org.admin.user_id)
        .await
        .unwrap()
        .email;
    let (app_id, v1) = docker_app(&app, &org.admin.token, "Shop").await;
    let v2 = app
        .post(
            &format!("/api/v1/applications/{app_id}/versions"),
            &org.admin.token,
            json!({"name": "v2", "composeFile": STANDARD.encode(super::support::COMPOSE)}),
        )
        .await;
    assert!(v2.status.is_success(), "{:?}", v2.body);
    let client = browser(&driver, profile.path()).await;
    login(&client, &base, admin_email.as_str()).await;

    client
        .goto(&format!("{base}/deployments/new"))
        .await
        .unwrap();
    let offered = client.source().await.unwrap();
    assert!(offered.contains("Shop v1 (docker)"));

    client
        .goto(&format!("{base}/applications/{app_id}"))
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!(
            "tr[data-version='{v1}'] button.archive"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(
        &client,
        "[role=status]",
        "no longer offers it",
        Duration::from_secs(5),
    )
    .await;
    wait_for_text(
        &client,
        &format!("tr[data-version='{v1}']"),
        "archived",
        Duration::from_secs(5),
    )
    .await;
    screenshot(&client, "application").await;

    client
        .goto(&format!("{base}/applications/{app_id}/versions/{v1}"))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Id("file-compose"))
        .await
        .unwrap();
    screenshot(&client, "version").await;

    client
        .goto(&format!("{base}/deployments/new"))
        .await
        .unwrap();
    let options: Vec<String> = {
        let mut texts = Vec::new();
        for option in client
            .find_all(Locator::Css("#wizard-version option"))
            .await
            .unwrap()
        {
            texts.push(option.text().await.unwrap());
        }
        texts
    };
    assert!(options.iter().any(|o| o.contains("Shop v2")), "{options:?}");
    assert!(
        options.iter().all(|o| !o.contains("Shop v1")),
        "the archived version is not offered: {options:?}"
    );
    client.close().await.unwrap();
}
