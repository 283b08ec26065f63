//! What `serve` checks and uses at start: a wrong encryption key is refused
//! (HS §7 item 53), and an agent version added with `agent-version add`
//! sets the image `/connect` installs (item 65).

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::api::{call, client, docker_target};
use super::process::{Serve, create_admin, run};

/// 32 bytes of `0x0d`, base64: another key than the one the database was set up with.
const OTHER_KEY: &str = "DQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0=";

/// `GET` of a connect URL: the install manifest.
async fn manifest(http: &reqwest::Client, url: &str) -> String {
    let response = http.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

#[test]
fn serve_refuses_a_wrong_encryption_key_without_printing_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Serve::start(dir.path(), &[]);
    first.wait_ready(Duration::from_secs(10));
    first.stop();
    let generated = std::fs::read_to_string(dir.path().join("distr-secrets.key")).unwrap();

    let wrong = run(
        dir.path(),
        &["serve"],
        &[
            ("LISTEN_ADDR", "127.0.0.1:0"),
            ("SECRETS_ENCRYPTION_KEY", OTHER_KEY),
        ],
    );
    assert_eq!(wrong.status.code(), Some(1));
    let printed = [wrong.stdout, wrong.stderr].concat();
    let printed = String::from_utf8_lossy(&printed);
    assert!(
        printed.contains("SECRETS_ENCRYPTION_KEY does not match"),
        "{printed}"
    );
    assert!(!printed.contains(OTHER_KEY));
    assert!(!printed.contains(generated.trim()));

    // The original key still starts.
    let mut again = Serve::start(dir.path(), &[]);
    again.wait_ready(Duration::from_secs(10));
    again.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_agent_version_sets_the_image_connect_installs() {
    let dir = tempfile::tempdir().unwrap();
    let admin = create_admin(dir.path(), &[]);
    let pat = format!("AccessToken {}", admin["accessToken"].as_str().unwrap());
    let mut serve = Serve::start(dir.path(), &[]);
    serve.wait_ready(Duration::from_secs(10));
    // A one-shot command next to the running `serve` (HS §6.1).
    let added = run(
        dir.path(),
        &[
            "agent-version",
            "add",
            "--name",
            "2.7.1",
            "--docker-image-repository",
            "registry.example.com/distr/docker-agent",
        ],
        &[],
    );
    assert_eq!(
        added.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let base = serve.base();
    let http = client();
    let (status, versions) = call(
        &http,
        Method::GET,
        format!("{base}/api/v1/agent-versions"),
        &pat,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let upstream: &Value = versions
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "2.7.1")
        .unwrap();
    let target = docker_target(&http, &base, &pat, "edge").await;
    let url = target.access["connectUrl"].as_str().unwrap();
    let before = manifest(&http, url).await;
    assert!(!before.contains("registry.example.com"), "{before}");

    let (status, updated) = call(
        &http,
        Method::PUT,
        format!("{base}/api/v1/deployment-targets/{}", target.id),
        &pat,
        Some(json!({"name": "edge", "agentVersion": {"id": upstream["id"]}})),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    let after = manifest(&http, url).await;
    assert!(
        after.contains("registry.example.com/distr/docker-agent:2.7.1"),
        "{after}"
    );
    serve.stop();
}
