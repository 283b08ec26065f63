//! HS §7 item 47 (HS §6.6): a full flow through the real binary at
//! `LOG_LEVEL=trace` with known secret strings — a password, a PAT, a user
//! JWT, a target secret, an agent JWT and a secret value — none of which may
//! appear in anything `serve` prints.

use std::fs::File;
use std::process::Stdio;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::{free_port, hub, terminate, wait_ready};

const PASSWORD: &str = "pw-KnownPassword-7f3a9c51";
const SECRET_VALUE: &str = "sv-KnownSecretValue-91ab77d2";

/// Sends one request and returns its status and JSON body (`Null` when empty).
async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    auth: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = http.request(method, url).header("Authorization", auth);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Runs the flow and returns every credential string it saw.
async fn flow(base: &str, pat: &str) -> Vec<String> {
    use reqwest::Method;
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{base}/api/v1{path}");
    let token_auth = format!("AccessToken {pat}");

    let login = http
        .post(api("/auth/login"))
        .json(&json!({"email": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let jwt = login.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
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
    let (status, app) = call(
        &http,
        Method::POST,
        api("/applications"),
        &user_auth,
        Some(json!({"name": "shop", "type": "docker"})),
    )
    .await;
    assert_eq!(status, 201);
    let compose = "services:\n  web:\n    image: busybox\n";
    let (status, version) = call(
        &http,
        Method::POST,
        api(&format!(
            "/applications/{}/versions",
            app["id"].as_str().unwrap()
        )),
        &user_auth,
        Some(json!({"name": "1.0.0", "composeFile": STANDARD.encode(compose)})),
    )
    .await;
    assert_eq!(status, 201, "{version}");
    let (status, target) = call(
        &http,
        Method::POST,
        api("/deployment-targets"),
        &token_auth,
        Some(json!({"name": "edge", "type": "docker"})),
    )
    .await;
    assert_eq!(status, 201);
    let target_id = target["id"].as_str().unwrap().to_owned();
    let (status, access) = call(
        &http,
        Method::POST,
        api(&format!("/deployment-targets/{target_id}/access-request")),
        &token_auth,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let target_secret = access["targetSecret"].as_str().unwrap().to_owned();
    let env = "DB_PASSWORD={{ .Secrets.DB_PASSWORD }}\n";
    let (status, deployment) = call(
        &http,
        Method::PUT,
        api("/deployments"),
        &user_auth,
        Some(json!({
            "deploymentTargetId": target_id,
            "applicationVersionId": version["id"],
            "envFileData": STANDARD.encode(env),
        })),
    )
    .await;
    assert_eq!(status, 200, "{deployment}");

    // The agent side: connect URL (carries the secret in its query), login,
    // desired state (carries the rendered secret), a status quoting the secret.
    let connect = http
        .get(access["connectUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(connect.status(), 200);
    let basic = STANDARD.encode(format!("{target_id}:{target_secret}"));
    let (status, agent_login) = call(
        &http,
        Method::POST,
        api("/agent/login"),
        &format!("Basic {basic}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let agent_jwt = agent_login["token"].as_str().unwrap().to_owned();
    let agent_auth = format!("Bearer {agent_jwt}");
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

    let port = free_port();
    let out_path = dir.path().join("serve.out");
    let err_path = dir.path().join("serve.err");
    let mut serve = hub(dir.path())
        .arg("serve")
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("DISTR_HOST", format!("http://127.0.0.1:{port}"))
        .env("LOG_LEVEL", "trace")
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    wait_ready(port, &mut serve);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut known = runtime.block_on(flow(&format!("http://127.0.0.1:{port}"), &pat));
    terminate(&serve);
    assert!(serve.wait().unwrap().success());

    known.extend([PASSWORD.to_owned(), pat, SECRET_VALUE.to_owned()]);
    let printed = [
        std::fs::read_to_string(&out_path).unwrap(),
        std::fs::read_to_string(&err_path).unwrap(),
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
