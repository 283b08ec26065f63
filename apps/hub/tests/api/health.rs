//! Computed health through the API (HS §2.4): a target's connection state,
//! a deployment's health and `revisionPending`, with agent reports sent
//! in-process and a clock the test moves forward.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::deployments::{Fixture, deploy_body, docker_fixture};
use super::support::TestApp;

/// A deployment on the fixture's target and an agent JWT of that target.
async fn deployed(app: &TestApp) -> (Fixture, Value, String) {
    let f = docker_fixture(app).await;
    let reply = app
        .put(
            "/api/v1/deployments",
            &f.org.admin.token,
            deploy_body(&f, "A=1\n"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let agent = app.agent_token(&f.org.admin.token, &f.target).await;
    (f, reply.body, agent)
}

async fn report(app: &TestApp, agent: &str, revision: &Value, kind: &str, message: &str) {
    let body = json!({"revisionId": revision, "type": kind, "message": message});
    let reply = app
        .agent_call(Method::POST, "/agent/status", agent, Some(body))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn deployment(app: &TestApp, f: &Fixture, id: &Value) -> Value {
    let reply = app
        .get(
            &format!("/api/v1/deployments/{}", id.as_str().unwrap()),
            &f.org.reader.token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

// HS §7 item 26: `connected` after `/agent/resources`, `stale` 61 s later.
async fn polled_target_is_connected_then_stale_after_61_seconds(app: TestApp) {
    let f = docker_fixture(&app).await;
    let path = format!("/api/v1/deployment-targets/{}", f.target);
    let agent = app.agent_token(&f.org.admin.token, &f.target).await;
    assert_eq!(
        app.get(&path, &f.org.reader.token).await.body["connectionState"],
        "not_connected",
        "a login alone is no contact"
    );
    let poll = app
        .agent_call(Method::GET, "/agent/resources", &agent, None)
        .await;
    assert_eq!(poll.status, StatusCode::OK, "{}", poll.body);
    let read = app.get(&path, &f.org.customer_reader.token).await;
    assert_eq!(read.body["connectionState"], "connected", "{}", read.body);
    app.clock.advance(Duration::from_secs(59));
    assert_eq!(
        app.get(&path, &f.org.reader.token).await.body["connectionState"],
        "connected"
    );
    app.clock.advance(Duration::from_secs(2));
    let read = app.get(&path, &f.org.reader.token).await;
    assert_eq!(read.body["connectionState"], "stale", "{}", read.body);
    let list = app
        .get("/api/v1/deployment-targets", &f.org.reader.token)
        .await;
    assert_eq!(list.body[0]["connectionState"], "stale");
    // The next poll connects it again.
    app.agent_call(Method::GET, "/agent/resources", &agent, None)
        .await;
    assert_eq!(
        app.get(&path, &f.org.reader.token).await.body["connectionState"],
        "connected"
    );
}

// HS §7 item 34: the §2.4 precedence through the API; an `error` 10 min old
// is still `error`, a `progressing` 61 s old is `stale`.
async fn health_follows_the_precedence_through_the_api(app: TestApp) {
    let (f, created, agent) = deployed(&app).await;
    let id = &created["id"];
    let revision = &created["deploymentRevisionId"];
    assert_eq!(deployment(&app, &f, id).await["health"], "no_status");
    report(&app, &agent, revision, "error", "crashed").await;
    assert_eq!(deployment(&app, &f, id).await["health"], "error");
    app.clock.advance(Duration::from_secs(600));
    let read = deployment(&app, &f, id).await;
    assert_eq!(read["health"], "error", "an error stays an error");
    assert_eq!(read["latestStatus"]["type"], "error");
    for kind in ["healthy", "running", "progressing"] {
        report(&app, &agent, revision, kind, kind).await;
        assert_eq!(deployment(&app, &f, id).await["health"], kind);
    }
    app.clock.advance(Duration::from_secs(59));
    assert_eq!(
        deployment(&app, &f, id).await["health"],
        "progressing",
        "59 s is not yet stale"
    );
    app.clock.advance(Duration::from_secs(2));
    let read = deployment(&app, &f, id).await;
    assert_eq!(read["health"], "stale", "{read}");
    assert_eq!(read["latestStatus"]["type"], "progressing");
    // The same report again refreshes the record and the health.
    report(&app, &agent, revision, "progressing", "progressing").await;
    assert_eq!(deployment(&app, &f, id).await["health"], "progressing");
}

// HS §7 item 35: after an update `latestStatus` is still the previous
// revision's record and `revisionPending` is true until the new revision's
// first report.
async fn revision_is_pending_until_its_first_report(app: TestApp) {
    let (f, created, agent) = deployed(&app).await;
    let id = &created["id"];
    let first = &created["deploymentRevisionId"];
    assert_eq!(created["revisionPending"], true);
    report(&app, &agent, first, "running", "first is up").await;
    let read = deployment(&app, &f, id).await;
    assert_eq!(read["revisionPending"], false);
    let previous = read["latestStatus"].clone();
    assert_eq!(previous["deploymentRevisionId"], *first);

    let update = json!({"deploymentTargetId": f.target, "deploymentId": id, "forceRestart": true});
    let updated = app
        .put("/api/v1/deployments", &f.org.admin.token, update)
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let second = &updated.body["deploymentRevisionId"];
    assert_ne!(second, first);
    assert_eq!(updated.body["revisionPending"], true);
    assert_eq!(updated.body["latestStatus"], previous);
    let read = deployment(&app, &f, id).await;
    assert_eq!(read["deploymentRevisionId"], *second);
    assert_eq!(read["revisionPending"], true);
    assert_eq!(read["latestStatus"], previous, "still the previous record");
    assert_eq!(read["health"], "running");
    // A late report for the old revision changes nothing about pending.
    report(&app, &agent, first, "running", "first still up").await;
    let read = deployment(&app, &f, id).await;
    assert_eq!(read["revisionPending"], true);
    assert_eq!(read["latestStatus"]["deploymentRevisionId"], *first);

    report(&app, &agent, second, "progressing", "second starting").await;
    let read = deployment(&app, &f, id).await;
    assert_eq!(read["revisionPending"], false);
    assert_eq!(read["latestStatus"]["deploymentRevisionId"], *second);
    assert_eq!(read["latestStatus"]["message"], "second starting");
    assert_eq!(read["health"], "progressing");
    // So does the target's view of the deployment.
    let target = app
        .get(
            &format!("/api/v1/deployment-targets/{}", f.target),
            &f.org.reader.token,
        )
        .await;
    assert_eq!(target.body["deployments"][0]["revisionPending"], false);
}

on_both_stores!(
    polled_target_is_connected_then_stale_after_61_seconds,
    health_follows_the_precedence_through_the_api,
    revision_is_pending_until_its_first_report,
);
