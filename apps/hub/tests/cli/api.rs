//! HTTP calls the real-binary tests share: a user login, a docker
//! application version, a docker target with its connect data, an agent
//! login. Each asserts its own status.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::{Value, json};

/// A client that follows no redirect (a portal redirect to `/login` stays visible).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Sends one request and returns its status and JSON body (`Null` when empty).
pub async fn call(
    http: &reqwest::Client,
    method: Method,
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

/// `POST /api/v1/auth/login`; returns the user JWT.
pub async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let response = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Creates docker application `shop` with version `1.0.0`; returns the version.
pub async fn docker_version(http: &reqwest::Client, base: &str, auth: &str) -> Value {
    let (status, app) = call(
        http,
        Method::POST,
        format!("{base}/api/v1/applications"),
        auth,
        Some(json!({"name": "shop", "type": "docker"})),
    )
    .await;
    assert_eq!(status, 201, "{app}");
    let compose = "services:\n  web:\n    image: busybox\n";
    let (status, version) = call(
        http,
        Method::POST,
        format!(
            "{base}/api/v1/applications/{}/versions",
            app["id"].as_str().unwrap()
        ),
        auth,
        Some(json!({"name": "1.0.0", "composeFile": STANDARD.encode(compose)})),
    )
    .await;
    assert_eq!(status, 201, "{version}");
    version
}

/// A docker target and its connect data (`POST …/access-request`).
pub struct Target {
    /// Its id.
    pub id: String,
    /// The answer of the access request (`connectUrl`, `targetSecret`, …).
    pub access: Value,
}

/// Creates docker target `name` and requests access to it.
pub async fn docker_target(http: &reqwest::Client, base: &str, auth: &str, name: &str) -> Target {
    let (status, target) = call(
        http,
        Method::POST,
        format!("{base}/api/v1/deployment-targets"),
        auth,
        Some(json!({"name": name, "type": "docker"})),
    )
    .await;
    assert_eq!(status, 201, "{target}");
    let id = target["id"].as_str().unwrap().to_owned();
    let (status, access) = call(
        http,
        Method::POST,
        format!("{base}/api/v1/deployment-targets/{id}/access-request"),
        auth,
        None,
    )
    .await;
    assert_eq!(status, 200, "{access}");
    Target { id, access }
}

/// `POST /api/v1/agent/login` with the target's credentials; returns
/// `Bearer <agent JWT>`.
pub async fn agent_login(http: &reqwest::Client, base: &str, target: &Target) -> String {
    let secret = target.access["targetSecret"].as_str().unwrap();
    let basic = STANDARD.encode(format!("{}:{secret}", target.id));
    let (status, login) = call(
        http,
        Method::POST,
        format!("{base}/api/v1/agent/login"),
        &format!("Basic {basic}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{login}");
    format!("Bearer {}", login["token"].as_str().unwrap())
}
