//! AP §12 items 1–11: access request, secrets, connect and their limits.

use distr_domain::target::KubernetesScope;
use distr_domain::user::UserRole;
use serde_json::Value;

use crate::agent_protocol::support::{Agent, Backend, TestHub};

async fn connect(hub: &TestHub, path: &str, target: &str, secret: &str) -> reqwest::Response {
    hub.http
        .get(hub.url(path))
        .query(&[("targetId", target), ("targetSecret", secret)])
        .send()
        .await
        .unwrap()
}

/// Items 1 and 2 (docker form).
pub async fn access_request_returns_exactly_the_four_fields(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.docker_target(None).await;
    let response = hub
        .http
        .post(hub.url(&format!("/deployment-targets/{}/access-request", target.id)))
        .bearer_auth(hub.admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    let object = body.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["connectCommand", "connectUrl", "targetId", "targetSecret"]
    );
    let secret = body["targetSecret"].as_str().unwrap();
    assert_eq!(secret.len(), 32);
    assert!(
        secret
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "{secret}"
    );
    assert_eq!(body["targetId"], target.id.to_string());
    let url = format!(
        "{}/api/v1/connect?targetId={}&targetSecret={secret}",
        hub.base, target.id
    );
    assert_eq!(body["connectUrl"], url);
    assert_eq!(
        body["connectCommand"],
        format!("curl -fsSL '{url}' | docker compose -f - up -d")
    );
}

/// Item 2 (kubernetes form).
pub async fn kubernetes_connect_command_applies_the_connect_url(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.kubernetes_target(KubernetesScope::Namespace).await;
    let body = hub.access_request(target.id).await;
    let url = body["connectUrl"].as_str().unwrap();
    assert_eq!(
        body["connectCommand"],
        format!("kubectl apply -n apps -f \"{url}\"")
    );
}

/// Item 3.
pub async fn pre_post_scripts_pipe_pre_connect_into_sudo_sh(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let mut org = hub.org.clone();
    org.pre_post_scripts_enabled = true;
    hub.store().update_organization(&org).await.unwrap();
    let target = hub.docker_target(None).await;
    let body = hub.access_request(target.id).await;
    let secret = body["targetSecret"].as_str().unwrap();
    let pre = format!(
        "{}/api/v1/pre-connect?targetId={}&targetSecret={secret}",
        hub.base, target.id
    );
    assert_eq!(body["connectCommand"], format!("curl -fsSL '{pre}' | sh"));

    org.connect_script_is_sudo = true;
    hub.store().update_organization(&org).await.unwrap();
    let body = hub.access_request(target.id).await;
    let secret = body["targetSecret"].as_str().unwrap();
    let pre = format!(
        "{}/api/v1/pre-connect?targetId={}&targetSecret={secret}",
        hub.base, target.id
    );
    assert_eq!(
        body["connectCommand"],
        format!("curl -fsSL '{pre}' | sudo sh")
    );
}

/// Item 4.
pub async fn stored_salt_and_hash_are_argon2id_of_the_secret(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.docker_target(None).await;
    let body = hub.access_request(target.id).await;
    let secret = body["targetSecret"].as_str().unwrap();
    let stored = hub
        .store()
        .find_target(target.id)
        .await
        .unwrap()
        .unwrap()
        .secret
        .unwrap();
    assert_eq!(stored.salt.len(), 16);
    let expected = distr_crypto::raw_target_secret_hash(secret, &stored.salt).unwrap();
    assert_eq!(stored.hash, expected.to_vec());
    assert_ne!(stored.hash, secret.as_bytes());
}

/// Item 5.
pub async fn rotation_rejects_the_old_secret_at_once(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.docker_target(None).await;
    let old = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let new = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(old, new);
    let id = target.id.to_string();
    assert_eq!(connect(&hub, "/connect", &id, &old).await.status(), 401);
    assert_eq!(
        Agent::new(&hub, target.id, &old).login_raw().await.status(),
        401
    );
    assert_eq!(connect(&hub, "/connect", &id, &new).await.status(), 200);
    assert_eq!(
        Agent::new(&hub, target.id, &new).login_raw().await.status(),
        200
    );
}

/// Item 6.
pub async fn agent_jwt_issued_before_rotation_stays_valid(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    agent.login().await;
    hub.access_request(target.id).await;
    assert_eq!(agent.resources(None, None).await.status(), 200);
}

/// Item 7.
pub async fn target_without_access_request_gets_401(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.docker_target(None).await;
    let id = target.id.to_string();
    let guess = "0123456789abcdef0123456789abcdef";
    assert_eq!(connect(&hub, "/connect", &id, guess).await.status(), 401);
    assert_eq!(
        connect(&hub, "/pre-connect", &id, guess).await.status(),
        401
    );
    assert_eq!(
        Agent::new(&hub, target.id, guess)
            .login_raw()
            .await
            .status(),
        401
    );
}

/// Item 8.
pub async fn connect_with_non_uuid_target_id_is_400(backend: Backend) {
    let hub = TestHub::start(backend).await;
    for path in ["/connect", "/pre-connect"] {
        let response = connect(&hub, path, "abc", "x").await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["detail"], "targetId is not a valid UUID");
    }
}

/// Item 9.
pub async fn sixth_connect_call_in_a_minute_is_rate_limited(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.docker_target(None).await;
    let secret = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = target.id.to_string();
    for (i, path) in [
        "/connect",
        "/pre-connect",
        "/connect",
        "/pre-connect",
        "/connect",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(
            connect(&hub, path, &id, &secret).await.status(),
            200,
            "call {i}"
        );
    }
    let response = connect(&hub, "/pre-connect", &id, &secret).await;
    assert_eq!(response.status(), 429);
    let headers = response.headers();
    assert_eq!(headers["retry-after"], "60");
    assert_eq!(headers["x-ratelimit-limit"], "5");
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    let reset: i64 = headers["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!(
        reset > now - 1 && reset <= now + 61,
        "reset {reset} now {now}"
    );
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

/// Item 10.
pub async fn login_limiter_is_independent_of_connect_limiter(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.docker_target(None).await;
    let secret = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = target.id.to_string();
    for _ in 0..5 {
        assert_eq!(connect(&hub, "/connect", &id, &secret).await.status(), 200);
    }
    let agent = Agent::new(&hub, target.id, &secret);
    for i in 0..5 {
        assert_eq!(agent.login_raw().await.status(), 200, "login {i}");
    }
    assert_eq!(agent.login_raw().await.status(), 429);
    // Invalid credentials count too, per targetId.
    let other = hub.docker_target(None).await;
    let wrong = Agent::new(&hub, other.id, "0123456789abcdef0123456789abcdef");
    for _ in 0..5 {
        assert_eq!(wrong.login_raw().await.status(), 401);
    }
    assert_eq!(wrong.login_raw().await.status(), 429);
}

/// Item 11.
pub async fn pre_connect_script_has_only_non_blank_sections(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let target = hub.docker_target(None).await;
    let secret = hub.access_request(target.id).await["targetSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = target.id.to_string();
    let url = format!(
        "{}/api/v1/connect?targetId={id}&targetSecret={secret}",
        hub.base
    );
    let response = connect(&hub, "/pre-connect", &id, &secret).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let script = response.text().await.unwrap();
    assert_eq!(
        script,
        format!(
            "#!/bin/sh\n# Connect to Distr agent\ncurl -fsSL '{url}' | docker compose -f - up -d"
        )
    );

    let mut org = hub.org.clone();
    org.pre_connect_script = Some("echo pre".to_owned());
    org.post_connect_script = Some("  \n".to_owned());
    hub.store().update_organization(&org).await.unwrap();
    let script = connect(&hub, "/pre-connect", &id, &secret)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        script,
        format!(
            "#!/bin/sh\n# Pre-connect script\necho pre\n\n# Connect to Distr agent\ncurl -fsSL '{url}' | docker compose -f - up -d"
        )
    );

    org.post_connect_script = Some("echo post".to_owned());
    hub.store().update_organization(&org).await.unwrap();
    let script = connect(&hub, "/pre-connect", &id, &secret)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        script.ends_with("up -d\n\n# Post-connect script\necho post\n"),
        "{script}"
    );
}

/// AP §2.3: `read_write`/`admin` only, and only for a target in the caller's scope.
pub async fn access_request_needs_write_role_and_a_visible_target(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let customer = hub.add_customer("Customer A").await;
    let other = hub.add_customer("Customer B").await;
    let vendor_target = hub.docker_target(None).await;
    let customer_target = hub.docker_target(Some(customer.id)).await;
    let request = |token: String, target: distr_domain::ids::TargetId| {
        hub.http
            .post(hub.url(&format!("/deployment-targets/{target}/access-request")))
            .bearer_auth(token)
            .send()
    };
    let read_only = hub.add_member(UserRole::ReadOnly, None).await;
    assert_eq!(
        request(read_only, vendor_target.id).await.unwrap().status(),
        403
    );
    let read_write = hub.add_member(UserRole::ReadWrite, None).await;
    assert_eq!(
        request(read_write, customer_target.id)
            .await
            .unwrap()
            .status(),
        200
    );
    let foreign_customer = hub.add_member(UserRole::Admin, Some(other.id)).await;
    assert_eq!(
        request(foreign_customer.clone(), customer_target.id)
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        request(foreign_customer, vendor_target.id)
            .await
            .unwrap()
            .status(),
        404
    );
    let own_customer = hub.add_member(UserRole::ReadWrite, Some(customer.id)).await;
    assert_eq!(
        request(own_customer, customer_target.id)
            .await
            .unwrap()
            .status(),
        200
    );
    let unknown = distr_domain::ids::TargetId::from_uuid(uuid::Uuid::now_v7());
    assert_eq!(
        request(hub.admin_token(), unknown).await.unwrap().status(),
        404
    );
    let agent_token = {
        let secret = hub.access_request(vendor_target.id).await["targetSecret"]
            .as_str()
            .unwrap()
            .to_owned();
        Agent::new(&hub, vendor_target.id, &secret).login().await
    };
    assert_eq!(
        request(agent_token, vendor_target.id)
            .await
            .unwrap()
            .status(),
        401
    );
}
