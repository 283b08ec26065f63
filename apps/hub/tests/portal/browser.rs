//! Browser tests in headless Chromium through chromedriver (fantoccini),
//! against a real listener (HS §7 items 38–45, 76): login, the wizard with a
//! new target and the connect command shown once, a simulated agent whose
//! reports turn the dot blue then green without a reload, a new status and
//! a new log line appended to the detail page's tables without a reload,
//! undeploy, and a customer's restricted view. Skips loudly without Chromium unless
//! `DISTR_REQUIRE_BROWSER=1`. With `DISTR_UPDATE_SCREENSHOTS=1` the pages
//! are saved to `docs/screenshots/`.

use std::net::SocketAddr;
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use distr_domain::user::UserRole;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use super::html::docker_app;
use super::simulated_agent::{
    agent_client, agent_log, agent_report, agent_status, agent_target_log, seed_metrics,
};
use super::support::{Backend, TestApp};

/// A chromedriver process, killed on drop.
pub(super) struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver leads its own process group, so Chromium goes too,
        // also when a failed assertion skipped `close()`.
        let _ = Command::new("kill")
            .arg("--")
            .arg(format!("-{}", self.child.id()))
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts chromedriver, or explains why the browser tests cannot run.
pub(super) fn start_driver() -> Option<Driver> {
    let required = std::env::var("DISTR_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let port = free_port();
    let child = match Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(err) => {
            assert!(
                !required,
                "DISTR_REQUIRE_BROWSER=1 but chromedriver cannot start: {err}"
            );
            eprintln!(
                "SKIPPED: portal browser tests need `chromium` and `chromium-driver` \
                 (scripts/setup-test-env.sh installs them): {err}"
            );
            return None;
        }
    };
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start listening"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(driver)
}

pub(super) async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a chromium session")
}

/// The app on a real loopback listener, with `DISTR_HOST` set to it.
pub(super) async fn serve() -> (TestApp, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let host = base.clone();
    let app = TestApp::with_config(Backend::Sqlite, move |c| c.distr_host = host).await;
    let router = app.router.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (app, base)
}

pub(super) async fn screenshot(client: &Client, name: &str) {
    if std::env::var("DISTR_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1") {
        let png = client.screenshot().await.unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

pub(super) async fn login(client: &Client, base: &str, email: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    client
        .find(Locator::Css("input[name=email]"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    client
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys("pw")
        .await
        .unwrap();
    client
        .find(Locator::Css("form[action='/login'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The login page has an `h1` too: wait for the navigation away from it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while client.current_url().await.unwrap().path() == "/login" {
        assert!(
            Instant::now() < deadline,
            "still on /login after signing in"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.wait().for_element(Locator::Css("h1")).await.unwrap();
}

/// Waits until the first element matching `css` has `text`.
pub(super) async fn wait_for_text(client: &Client, css: &str, text: &str, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        if let Ok(el) = client.find(Locator::Css(css)).await
            && el.text().await.is_ok_and(|t| t.contains(text))
        {
            return;
        }
        assert!(Instant::now() < deadline, "{css} never showed {text:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Sets a `window` marker that only survives if the page is not reloaded.
async fn mark_page(client: &Client) {
    client
        .execute("window.__noReload = true; return true;", vec![])
        .await
        .unwrap();
}

async fn assert_not_reloaded(client: &Client) {
    let kept = client
        .execute("return window.__noReload === true;", vec![])
        .await
        .unwrap();
    assert_eq!(kept, Value::Bool(true), "the page was not reloaded");
}

#[tokio::test]
async fn the_portal_in_a_real_browser() {
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
    let (_, version) = docker_app(&app, &org.admin.token, "Shop").await;
    let client = browser(&driver, profile.path()).await;

    // Login (item 38).
    client.goto(&format!("{base}/login")).await.unwrap();
    screenshot(&client, "login").await;
    login(&client, &base, admin_email.as_str()).await;
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/deployments")
    );

    // The wizard with a new target, continuing to Connect (items 41, 42).
    client
        .goto(&format!("{base}/deployments/new"))
        .await
        .unwrap();
    client
        .find(Locator::Css("#wizard-target option[value=new]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .find(Locator::Css("#wizard-continue"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let name = client
        .wait()
        .for_element(Locator::Css("#wizard-new-name"))
        .await
        .unwrap();
    name.send_keys("edge-berlin").await.unwrap();
    screenshot(&client, "wizard").await;
    client
        .find(Locator::Css("#wizard-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("#connect-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let command = client
        .wait()
        .for_element(Locator::Id("connect-command"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(command.starts_with("curl -fsSL '"), "{command}");
    screenshot(&client, "connect").await;
    let url = client.current_url().await.unwrap();
    assert!(!url.as_str().contains("targetSecret"), "never in a URL");
    let cookies = client.get_all_cookies().await.unwrap();
    assert!(cookies.iter().all(|c| !c.value().contains("targetSecret")));
    client.refresh().await.unwrap();
    let source = client.source().await.unwrap_or_default();
    assert!(
        !source.contains("targetSecret="),
        "shown once: a reload does not repeat it"
    );

    // A simulated agent: login with the target secret, poll, report.
    let connect_url = command.split('\'').nth(1).unwrap();
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(connect_url.split_once('?').unwrap().1).unwrap();
    let get = |key: &str| query.iter().find(|(k, _)| k == key).unwrap().1.clone();
    let (target_id, secret) = (get("targetId"), get("targetSecret"));
    let http = agent_client();
    let token: Value = http
        .post(format!("{base}/api/v1/agent/login"))
        .header(
            "authorization",
            format!("Basic {}", STANDARD.encode(format!("{target_id}:{secret}"))),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let desired: Value = http
        .get(format!("{base}/api/v1/agent/resources"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let revision = desired["deployments"][0]["revisionId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!version.is_empty());
    let target_uuid: uuid::Uuid = target_id.parse().unwrap();
    seed_metrics(&app, distr_domain::ids::TargetId::from_uuid(target_uuid)).await;

    // The dot turns blue, then green, without a reload (item 43).
    client.goto(&format!("{base}/deployments")).await.unwrap();
    mark_page(&client).await;
    let dot = "[data-deployment] .dot-label";
    wait_for_text(
        &client,
        "[data-target] .target-head .dot-label",
        "Connected",
        Duration::from_secs(10),
    )
    .await;
    agent_status(&http, &base, &token, &revision, "progressing").await;
    wait_for_text(&client, dot, "Progressing", Duration::from_secs(10)).await;
    agent_status(&http, &base, &token, &revision, "healthy").await;
    wait_for_text(&client, dot, "Healthy", Duration::from_secs(10)).await;
    assert_not_reloaded(&client).await;
    let card = client.source().await.unwrap();
    assert!(
        card.contains("gauge-name\">CPU"),
        "the card shows the metrics gauges"
    );
    assert!(
        !card.contains("Update pending"),
        "the agent reported the desired version"
    );
    screenshot(&client, "deployments").await;

    // The target page: charts of the seeded hour, and the agent's own log
    // lines appended without a reload.
    client
        .goto(&format!("{base}/deployment-targets/{target_id}"))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Id("charts"))
        .await
        .unwrap();
    assert!(
        client.find(Locator::Css("#charts svg")).await.is_ok(),
        "the charts are drawn"
    );
    mark_page(&client).await;
    agent_target_log(&http, &base, &token, "agent started, polling every 5s").await;
    wait_for_text(
        &client,
        "#agent-log-table tbody",
        "agent started, polling every 5s",
        Duration::from_secs(12),
    )
    .await;
    assert_not_reloaded(&client).await;
    client
        .execute(
            "document.getElementById('metrics').scrollIntoView(); return true;",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&client, "target").await;
    client.goto(&format!("{base}/deployments")).await.unwrap();

    // Deployment detail, then undeploy with the typed confirmation.
    client
        .find(Locator::Css("[data-deployment] a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Id("status-log"))
        .await
        .unwrap();
    screenshot(&client, "deployment").await;

    // A new status and a new log line are appended live (HS §4.1, item 74).
    let detail = client.current_url().await.unwrap();
    mark_page(&client).await;
    agent_report(
        &http,
        &base,
        &token,
        &revision,
        "progressing",
        "live status row",
    )
    .await;
    wait_for_text(
        &client,
        "#status-log tbody",
        "live status row",
        Duration::from_secs(12),
    )
    .await;
    assert_not_reloaded(&client).await;
    agent_log(&http, &base, &token, &desired, "first log line").await;
    client
        .goto(&format!(
            "{}?tab=logs",
            detail.as_str().split('?').next().unwrap()
        ))
        .await
        .unwrap();
    wait_for_text(
        &client,
        "#logs tbody",
        "first log line",
        Duration::from_secs(5),
    )
    .await;
    mark_page(&client).await;
    agent_log(&http, &base, &token, &desired, "live log line").await;
    wait_for_text(
        &client,
        "#logs tbody tr",
        "live log line",
        Duration::from_secs(12),
    )
    .await;
    assert_not_reloaded(&client).await;
    screenshot(&client, "deployment-logs").await;
    client
        .find(Locator::Id("undeploy-confirm"))
        .await
        .unwrap()
        .send_keys("UNDEPLOY")
        .await
        .unwrap();
    client
        .find(Locator::Id("undeploy"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(
        &client,
        "[role=status]",
        "removes it on its next poll",
        Duration::from_secs(5),
    )
    .await;
    assert!(
        client
            .find(Locator::Css("[data-deployment]"))
            .await
            .is_err(),
        "the row is gone"
    );

    // A customer user sees only their targets and no Applications navigation (item 76).
    let customer = app
        .user(org.id, UserRole::ReadWrite, Some(org.customer), "pw")
        .await;
    let customer_email = app
        .state
        .store
        .get_user(customer.user_id)
        .await
        .unwrap()
        .email;
    client.delete_all_cookies().await.unwrap();
    login(&client, &base, customer_email.as_str()).await;
    let source = client.source().await.unwrap();
    assert!(
        !source.contains("edge-berlin"),
        "the vendor's target is hidden"
    );
    assert!(
        client
            .find(Locator::Css("nav a[href='/applications']"))
            .await
            .is_err()
    );
    assert!(source.contains("Create your first target"));
    client.close().await.unwrap();
}
