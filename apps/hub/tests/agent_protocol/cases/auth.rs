//! AP §12 items 12–21: login, agent JWTs and the authentication chain.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use distr_domain::target::AgentVersion;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};

use crate::agent_protocol::support::{Agent, Backend, TestHub};

fn sign(hub: &TestHub, claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(&hub.state.config.jwt_secret),
    )
    .unwrap()
}

/// Item 12.
pub async fn login_without_basic_or_with_bad_credentials_is_refused(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, agent) = hub.connected_docker_agent(None).await;
    let url = hub.url("/agent/login");
    let none = hub.http.post(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    let bearer = hub
        .http
        .post(&url)
        .header(AUTHORIZATION, "Bearer abc")
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 401);
    let basic = STANDARD.encode("abc:secret");
    let non_uuid = hub
        .http
        .post(&url)
        .header(AUTHORIZATION, format!("Basic {basic}"))
        .send()
        .await
        .unwrap();
    assert_eq!(non_uuid.status(), 400);
    let body: Value = non_uuid.json().await.unwrap();
    assert_eq!(body["detail"], "targetId is not a valid UUID");
    let wrong = Agent::new(&hub, target.id, "0123456789abcdef0123456789abcdef");
    assert_eq!(wrong.login_raw().await.status(), 401);
    assert_eq!(agent.login_raw().await.status(), 200);
}

/// Item 13.
pub async fn login_returns_agent_jwt(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, agent) = hub.connected_docker_agent(None).await;
    let response = agent.login_raw().await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body.as_object().unwrap().len(), 1);
    let token = body["token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header, json!({"alg": "HS256", "typ": "JWT"}));
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["sub"], target.id.to_string());
    assert_eq!(claims["org"], hub.org.id.to_string());
    assert_eq!(claims["aud"], json!(["agent"]));
    assert_eq!(claims["iat"], claims["nbf"]);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        86_400
    );
    assert!(claims.get("iss").is_none() && claims.get("jti").is_none());
}

/// Item 14.
pub async fn agent_jwt_verifies_with_the_jwt_secret(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let token = agent.login().await;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&["agent"]);
    let key = DecodingKey::from_secret(&hub.state.config.jwt_secret);
    assert!(jsonwebtoken::decode::<Value>(&token, &key, &validation).is_ok());
    let other = DecodingKey::from_secret(b"some other key of thirty-two bytes!");
    assert!(jsonwebtoken::decode::<Value>(&token, &other, &validation).is_err());
}

/// Item 15.
pub async fn resources_without_a_valid_token_is_401(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, _) = hub.connected_docker_agent(None).await;
    let url = hub.url("/agent/resources");
    assert_eq!(hub.http.get(&url).send().await.unwrap().status(), 401);
    let now = chrono::Utc::now().timestamp();
    let expired = sign(
        &hub,
        &json!({"sub": target.id.to_string(), "org": hub.org.id.to_string(), "aud": ["agent"],
            "iat": now - 3600, "nbf": now - 3600, "exp": now - 60}),
    );
    assert_eq!(
        hub.http
            .get(&url)
            .bearer_auth(expired)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let foreign = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": target.id.to_string(), "org": hub.org.id.to_string(), "aud": ["agent"],
            "iat": now, "nbf": now, "exp": now + 600}),
        &EncodingKey::from_secret(b"another key, not the hub's JWT_SECRET"),
    )
    .unwrap();
    assert_eq!(
        hub.http
            .get(&url)
            .bearer_auth(foreign)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let non_uuid = sign(
        &hub,
        &json!({"sub": "abc", "org": hub.org.id.to_string(), "aud": ["agent"], "iat": now, "nbf": now, "exp": now + 600}),
    );
    assert_eq!(
        hub.http
            .get(&url)
            .bearer_auth(non_uuid)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let other_org = sign(
        &hub,
        &json!({"sub": target.id.to_string(), "org": uuid::Uuid::now_v7().to_string(), "aud": ["agent"],
            "iat": now, "nbf": now, "exp": now + 600}),
    );
    assert_eq!(
        hub.http
            .get(&url)
            .bearer_auth(other_org)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let valid = sign(
        &hub,
        &json!({"sub": target.id.to_string(), "org": hub.org.id.to_string(), "aud": "agent",
            "iat": now, "nbf": now, "exp": now + 600}),
    );
    assert_eq!(
        hub.http
            .get(&url)
            .bearer_auth(valid)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

/// Item 16.
pub async fn user_jwt_on_agent_routes_is_401(backend: Backend) {
    let hub = TestHub::start(backend).await;
    hub.connected_docker_agent(None).await;
    let user = hub.admin_token();
    let routes = [
        (reqwest::Method::GET, "/agent/resources"),
        (reqwest::Method::GET, "/agent/manifest"),
        (reqwest::Method::POST, "/agent/status"),
        (reqwest::Method::POST, "/agent/metrics"),
        (reqwest::Method::PUT, "/agent/logs"),
        (reqwest::Method::PUT, "/agent/deployment-target-logs"),
    ];
    for (method, path) in routes {
        let response = hub
            .http
            .request(method, hub.url(path))
            .bearer_auth(&user)
            .json(&json!([]))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{path}");
    }
}

/// Item 17.
pub async fn agent_jwt_on_a_user_route_is_401(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let token = agent.login().await;
    let response = hub
        .http
        .get(hub.url("/deployment-targets"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let as_admin = hub
        .http
        .get(hub.url("/deployment-targets"))
        .bearer_auth(hub.admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(as_admin.status(), 200, "the user route itself must work");
}

/// Item 18.
pub async fn deleted_target_gets_401_for_token_and_login(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    agent.login().await;
    hub.store()
        .delete_target(hub.org.id, target.id)
        .await
        .unwrap();
    assert_eq!(agent.resources(None, None).await.status(), 401);
    assert_eq!(agent.login_raw().await.status(), 401);
}

/// Item 19.
pub async fn user_agent_updates_the_reported_version(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let other = hub
        .store()
        .upsert_agent_version(&AgentVersion {
            id: uuid::Uuid::now_v7().into(),
            created_at: chrono::Utc::now(),
            name: "2.8.0".to_owned(),
            docker_image_repository: None,
            kubernetes_image_repository: None,
        })
        .await
        .unwrap();
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    assert_eq!(agent.resources(None, None).await.status(), 200);
    let reported = |t: distr_domain::target::DeploymentTarget| t.reported_agent_version_id;
    let stored = hub.store().find_target(target.id).await.unwrap().unwrap();
    assert_eq!(reported(stored), Some(hub.version.id));

    agent.user_agent = "DistrAgentClient/2.8.0".to_owned();
    assert_eq!(agent.resources(None, None).await.status(), 200);
    let stored = hub.store().find_target(target.id).await.unwrap().unwrap();
    assert_eq!(reported(stored), Some(other.id));

    agent.user_agent = "DistrAgentClient/9.9.9-unknown".to_owned();
    assert_eq!(agent.resources(None, None).await.status(), 200);
    let stored = hub.store().find_target(target.id).await.unwrap().unwrap();
    assert_eq!(reported(stored), Some(other.id));
}

/// Item 20.
pub async fn request_168_within_a_minute_is_rate_limited(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    agent.login().await;
    for i in 0..167 {
        let response = agent
            .send_json(
                reqwest::Method::PUT,
                "/agent/deployment-target-logs",
                &json!([]),
            )
            .await;
        assert_eq!(response.status(), 204, "request {i}");
    }
    let response = agent.resources(None, None).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "60");
    assert_eq!(response.headers()["x-ratelimit-limit"], "167");
}

/// Item 21.
pub async fn errors_are_problem_documents_and_wrong_method_is_405(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let response = hub
        .http
        .get(hub.url("/agent/resources"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], 401);
    assert!(body["type"].is_string() && body["title"].is_string());

    let wrong_method = hub
        .http
        .delete(hub.url("/agent/resources"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(
        wrong_method.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = wrong_method.json().await.unwrap();
    assert_eq!(body["status"], 405);

    let unknown = hub
        .http
        .get(hub.url("/agent/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
