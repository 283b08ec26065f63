//! HS §7 item 47 (HS §6.6): a full flow through the real binary at
//! `LOG_LEVEL=trace` with known secret strings — a password, a PAT, a user
//! JWT, a target secret, an agent JWT and a secret value — none of which may
//! appear in anything `serve` prints.

use std::process::Stdio;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::{Value, json};

use super::api::{agent_login, call, client, docker_target, docker_version, login};
use super::process::{Serve, hub};

const PASSWORD: &str = "pw-KnownPassword-7f3a9c51";
const SECRET_VALUE: &str = "sv-KnownSecretValue-91ab77d2";

/// Runs the flow and returns every credential string it saw.
async fn flow(base: &str, pat: &str) -> Vec<String> {
    let http = client();
    let api = |path: &str| format!("{base}/api/v1{path}");
    let token_auth = format!("AccessToken {pat}");
    let jwt = login(&http, base, "ada@example.com", PASSWORD).await;
    let user_auth = format!("Bearer {jwt}");

    let (status, _) = call(
        &http,
        Method::POST,
        api("/secrets"),
        &token_auth,
        Some(json!({"key": "DB_PASSWORD", "value": SECRET_VALUE})),
    )
    .await;
    assert_eq!(status, 201);
    let version = docker_version(&http, base, &user_auth).await;
    let target = docker_target(&http, base, &token_auth, "edge").await;
    let target_secret = target.access["targetSecret"].as_str().unwrap().to_owned();
    let env = "DB_PASSWORD={{ .Secrets.DB_PASSWORD }}\n";
    let (status, deployment) = call(
        &http,
        Method::PUT,
        api("/deployments"),
        &user_auth,
        Some(json!({
            "deploymentTargetId": target.id,
            "applicationVersionId": version["id"],
            "envFileData": STANDARD.encode(env),
        })),
    )
    .await;
    assert_eq!(status, 200, "{deployment}");

    // The agent side: connect URL (carries the secret in its query), login,
    // desired state (carries the rendered secret), a status quoting the secret.
    let connect = http
        .get(target.access["connectUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(connect.status(), 200);
    let agent_auth = agent_login(&http, base, &target).await;
    let agent_jwt = agent_auth.trim_start_matches("Bearer ").to_owned();
    let (status, resources) = call(
        &http,
        Method::GET,
        api("/agent/resources"),
        &agent_auth,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        resources
            .to_string()
            .contains(&STANDARD.encode(format!("DB_PASSWORD={SECRET_VALUE}\n")))
            || resources.to_string().contains(SECRET_VALUE),
        "the agent receives the rendered secret: {resources}"
    );
    let revision = resources["deployments"][0]["revisionId"].clone();
    let (status, _) = call(
        &http,
        Method::POST,
        api("/agent/status"),
        &agent_auth,
        Some(json!({
            "revisionId": revision,
            "type": "error",
            "message": format!("cannot connect with {SECRET_VALUE}"),
        })),
    )
    .await;
    assert_eq!(status, 200);
    vec![jwt, target_secret, agent_jwt]
}

#[test]
fn a_trace_level_full_flow_prints_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut admin = hub(dir.path())
        .args([
            "admin",
            "create",
            "--org-name",
            "Acme",
            "--email",
            "ada@example.com",
            "--name",
            "Ada",
            "--password-stdin",
            "--token-label",
            "ci",
        ])
        .env("LOG_LEVEL", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write as _;
        let mut stdin = admin.stdin.take().unwrap();
        writeln!(stdin, "{PASSWORD}").unwrap();
    }
    let admin = admin.wait_with_output().unwrap();
    assert!(admin.status.success());
    let created: Value = serde_json::from_slice(&admin.stdout).unwrap();
    let pat = created["accessToken"].as_str().unwrap().to_owned();

    let mut serve = Serve::start(dir.path(), &[("LOG_LEVEL", "trace")]);
    serve.wait_ready(std::time::Duration::from_secs(10));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut known = runtime.block_on(flow(&serve.base(), &pat));
    serve.stop();

    known.extend([PASSWORD.to_owned(), pat, SECRET_VALUE.to_owned()]);
    let printed = [
        serve.logs(),
        String::from_utf8_lossy(&admin.stderr).into_owned(),
    ]
    .concat();
    // The capture is real: trace output of the flow is there.
    assert!(printed.contains("/agent/status"), "no access log captured");
    assert!(
        printed.to_lowercase().contains("trace"),
        "no trace-level line"
    );
    for secret in &known {
        assert!(
            !printed.contains(secret.as_str()),
            "a known secret ({} chars) was printed",
            secret.len()
        );
    }
}
