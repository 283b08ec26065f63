//! AP §12 items 33–38 (AP §11j): ETags, 304s and the `wait` long-poll.

use std::time::{Duration, Instant};

use super::resources::COMPOSE;
use crate::agent_protocol::support::{Backend, TestHub};

/// Item 33.
pub async fn matching_if_none_match_gets_304_and_updates_last_seen(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let (_, etag) = agent.desired().await;
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "strong ETag: {etag}"
    );
    let seen = hub
        .store()
        .find_target(target.id)
        .await
        .unwrap()
        .unwrap()
        .heartbeat
        .unwrap()
        .last_seen_at;
    tokio::time::sleep(Duration::from_millis(10_500)).await;
    let response = agent.resources(Some(&etag), None).await;
    assert_eq!(response.status(), 304);
    assert_eq!(response.headers()["etag"], etag.as_str());
    assert!(response.bytes().await.unwrap().is_empty());
    let after = hub
        .store()
        .find_target(target.id)
        .await
        .unwrap()
        .unwrap()
        .heartbeat
        .unwrap();
    assert!(after.last_seen_at > seen, "a 304 still records contact");
    assert_eq!(after.message, "OK");
}

/// Item 34.
pub async fn new_revision_changes_the_etag(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, _) = hub.deploy(&target, &version, None).await;
    let (_, old) = agent.desired().await;
    let (_, same) = agent.desired().await;
    assert_eq!(old, same, "same state, same ETag");
    hub.redeploy(&deployment, &version, None).await;
    let response = agent.resources(Some(&old), None).await;
    assert_eq!(response.status(), 200);
    assert_ne!(response.headers()["etag"], old.as_str());
}

/// Item 35.
pub async fn without_if_none_match_there_is_no_304_and_wait_answers_at_once(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let (_, etag) = agent.desired().await;
    let started = Instant::now();
    let response = agent.resources(None, Some(30)).await;
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "wait alone is answered at once"
    );
    let response = agent.resources(Some("\"something-else\""), Some(30)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], etag.as_str());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "a stale ETag is answered at once"
    );
}

/// Item 36.
pub async fn long_poll_is_woken_within_a_second_by_a_new_revision(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (deployment, _) = hub.deploy(&target, &version, None).await;
    let (_, etag) = agent.desired().await;
    let held = agent.resources(Some(&etag), Some(30));
    let change = async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let revision = hub.redeploy(&deployment, &version, Some("B=1\n")).await;
        (Instant::now(), revision)
    };
    let (response, (changed_at, revision)) = tokio::join!(held, change);
    let answered_after = changed_at.elapsed();
    assert_eq!(response.status(), 200);
    assert!(
        answered_after < Duration::from_secs(1),
        "answered {answered_after:?} after the change"
    );
    assert_ne!(response.headers()["etag"], etag.as_str());
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["deployments"][0]["revisionId"],
        revision.id.to_string()
    );
}

/// Item 37 (the 60 s cap is covered by the unit test
/// `agent_api::longpoll::tests::wait_is_capped_at_sixty_seconds`).
pub async fn long_poll_without_change_answers_304_after_wait(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let (_, etag) = agent.desired().await;
    let started = Instant::now();
    let response = agent.resources(Some(&etag), Some(2)).await;
    let held = started.elapsed();
    assert_eq!(response.status(), 304);
    assert!(
        held >= Duration::from_millis(1900) && held < Duration::from_secs(4),
        "held {held:?}"
    );
}

/// Item 37 (shutdown): a held request answers 304 promptly at shutdown.
pub async fn held_long_poll_answers_304_at_shutdown(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let (_, etag) = agent.desired().await;
    let started = Instant::now();
    let held = agent.resources(Some(&etag), Some(30));
    let stop = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        hub.begin_shutdown();
    };
    let (response, ()) = tokio::join!(held, stop);
    assert_eq!(response.status(), 304);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered {:?} after start",
        started.elapsed()
    );
}

/// Item 38.
pub async fn two_replicas_give_the_same_etag(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    hub.deploy(&target, &version, Some("A=1\n")).await;
    let (body, etag) = agent.desired().await;
    let replica = hub.replica().await;
    let token = agent.token.clone().unwrap();
    let response = hub
        .http
        .get(format!("{replica}/api/v1/agent/resources"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], etag.as_str());
    let replica_body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(replica_body, body);
}

/// Item 36 end to end: a deployment created through `PUT /deployments`
/// wakes a held long-poll within a second.
pub async fn long_poll_is_woken_by_a_deployment_made_through_the_user_api(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (target, mut agent) = hub.connected_docker_agent(None).await;
    let version = hub.compose_app(COMPOSE).await;
    let (_, etag) = agent.desired().await;
    let held = agent.resources(Some(&etag), Some(30));
    let change = async {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let response = hub
            .http
            .put(hub.url("/deployments"))
            .bearer_auth(hub.admin_token())
            .json(&serde_json::json!({
                "deploymentTargetId": target.id.to_string(),
                "applicationVersionId": version.id.to_string(),
            }))
            .send()
            .await
            .unwrap();
        (Instant::now(), response.status())
    };
    let (response, (changed_at, put_status)) = tokio::join!(held, change);
    let answered_after = changed_at.elapsed();
    assert!(
        put_status.is_success(),
        "PUT /deployments answered {put_status}"
    );
    assert_eq!(response.status(), 200);
    assert!(
        answered_after < Duration::from_secs(1),
        "answered {answered_after:?} after the change"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["deployments"].as_array().map(Vec::len), Some(1));
}

/// Item 37 (cap): `wait=600` is held about 60 s, not longer. Slow, so it is
/// stamped for one backend only: the cap does not depend on the store.
pub async fn wait_600_is_held_sixty_seconds_at_most(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let (_, etag) = agent.desired().await;
    let started = Instant::now();
    let response = agent.resources(Some(&etag), Some(600)).await;
    let held = started.elapsed();
    assert_eq!(response.status(), 304);
    assert!(
        held >= Duration::from_secs(59) && held < Duration::from_secs(63),
        "held {held:?}"
    );
}

/// The `distr_agent_longpolls_held` gauge of a scrape.
async fn longpolls_held(hub: &TestHub) -> f64 {
    let text = hub
        .http
        .get(format!("{}/metrics", hub.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("distr_agent_longpolls_held "))
        .and_then(|v| v.parse().ok())
        .expect("the gauge is in the scrape")
}

/// HS §6.5: a held long-poll counts in `distr_agent_longpolls_held` while
/// it waits, and no longer once it has answered.
pub async fn held_long_polls_are_counted_in_metrics(backend: Backend) {
    let hub = TestHub::start(backend).await;
    let (_, mut agent) = hub.connected_docker_agent(None).await;
    let (_, etag) = agent.desired().await;
    assert!((longpolls_held(&hub).await).abs() < f64::EPSILON);
    let held = tokio::spawn(async move { agent.resources(Some(&etag), Some(3)).await.status() });
    let deadline = Instant::now() + Duration::from_secs(2);
    while (longpolls_held(&hub).await - 1.0).abs() > f64::EPSILON {
        assert!(Instant::now() < deadline, "the held poll never counted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(held.await.unwrap(), 304);
    assert!((longpolls_held(&hub).await).abs() < f64::EPSILON);
}
