//! The Hub's user API, driven with reqwest and a personal access token.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A user API client.
#[derive(Debug, Clone)]
pub struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

/// Base64 of a text file, as the API wants files and env data.
pub fn b64(text: &str) -> String {
    STANDARD.encode(text)
}

impl Api {
    /// A client for `<base>/api/v1` with a PAT.
    pub fn new(base: &str, token: &str) -> Self {
        Self {
            client: reqwest::Client::new(),
            base: format!("{base}/api/v1"),
            token: token.to_owned(),
        }
    }

    /// One request; returns the status and the JSON body (`Null` if none).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header("Authorization", format!("AccessToken {}", self.token));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A request that must succeed; returns the JSON body.
    pub async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, value) = self.send(method.clone(), path, body).await;
        assert!(status.is_success(), "{method} {path} → {status}: {value}");
        value
    }

    /// Creates a docker application with one version; returns (application id, version id).
    pub async fn create_application(
        &self,
        name: &str,
        version: &str,
        compose: &str,
    ) -> (String, String) {
        let app = self
            .ok(
                Method::POST,
                "/applications",
                Some(json!({"name": name, "type": "docker"})),
            )
            .await;
        let app_id = id_of(&app);
        let version_id = self.create_version(&app_id, version, compose).await;
        (app_id, version_id)
    }

    /// Adds a version with a compose file; returns its id.
    pub async fn create_version(&self, app_id: &str, name: &str, compose: &str) -> String {
        let body = json!({"name": name, "composeFile": b64(compose)});
        id_of(
            &self
                .ok(
                    Method::POST,
                    &format!("/applications/{app_id}/versions"),
                    Some(body),
                )
                .await,
        )
    }

    /// Creates a vendor secret.
    pub async fn create_secret(&self, key: &str, value: &str) {
        self.ok(
            Method::POST,
            "/secrets",
            Some(json!({"key": key, "value": value})),
        )
        .await;
    }

    /// Creates a docker target with metrics enabled; returns its id.
    pub async fn create_target(&self, name: &str) -> String {
        let body = json!({"name": name, "type": "docker", "metricsEnabled": true});
        id_of(
            &self
                .ok(Method::POST, "/deployment-targets", Some(body))
                .await,
        )
    }

    /// Rotates the target secret; returns `{connectUrl, targetId, targetSecret, connectCommand}`.
    pub async fn access_request(&self, target_id: &str) -> Value {
        let path = format!("/deployment-targets/{target_id}/access-request");
        self.ok(Method::POST, &path, None).await
    }

    /// `GET /deployment-targets/{id}`.
    pub async fn target(&self, target_id: &str) -> Value {
        self.ok(
            Method::GET,
            &format!("/deployment-targets/{target_id}"),
            None,
        )
        .await
    }

    /// `PUT /deployments`; returns the deployment.
    pub async fn put_deployment(&self, body: Value) -> Value {
        self.ok(Method::PUT, "/deployments", Some(body)).await
    }

    /// `GET /deployments/{id}`.
    pub async fn deployment(&self, id: &str) -> Value {
        self.ok(Method::GET, &format!("/deployments/{id}"), None)
            .await
    }

    /// `DELETE /deployments/{id}`.
    pub async fn delete_deployment(&self, id: &str) {
        self.ok(Method::DELETE, &format!("/deployments/{id}"), None)
            .await;
    }

    /// `GET /deployments/{id}/status`: records, newest first.
    pub async fn statuses(&self, id: &str) -> Vec<Value> {
        let value = self
            .ok(
                Method::GET,
                &format!("/deployments/{id}/status?limit=100"),
                None,
            )
            .await;
        value.as_array().cloned().unwrap_or_default()
    }

    /// `PUT /deployment-targets/{id}` with a new desired agent version.
    /// `Err` when the Hub does not implement the route.
    pub async fn set_agent_version(&self, target_id: &str, version_id: &str) {
        let target = self.target(target_id).await;
        let body = json!({
            "name": target["name"],
            "metricsEnabled": target["metricsEnabled"],
            "agentVersion": {"id": version_id},
        });
        let path = format!("/deployment-targets/{target_id}");
        self.ok(Method::PUT, &path, Some(body)).await;
    }
}

/// The `id` member of a JSON object.
pub fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_owned()
}

/// A string member (`""` when absent).
pub fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_default()
}
