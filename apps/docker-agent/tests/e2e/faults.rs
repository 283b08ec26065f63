//! Faults: a Hub outage longer than the stale threshold, and an agent killed
//! in the middle of an apply.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::api::text;
use crate::compose_lifecycle::web_compose;
use crate::docker::{docker, docker_ok, inspect, project_container_ids, project_containers};
use crate::images::WEB_IMAGE;
use crate::setup::{self, AGENT_CONTAINER, CaseOptions, SOON, count_calls, project_of};

#[tokio::test]
async fn hub_outage_beyond_the_stale_threshold_keeps_workloads_and_the_agent_reconnects() {
    let options = CaseOptions {
        stale_after: "3s",
        ..CaseOptions::default()
    };
    let Some(mut case) = setup::start("hub outage", options).await else {
        return;
    };
    let target = case.connect_new_target("e2e-outage", &[]).await;
    let (_, version) = case
        .api
        .create_application("enduring", "1.0.0", &web_compose(WEB_IMAGE))
        .await;
    let deployment = case
        .deploy(&target, &version, "GREETING=hi\nAPI_KEY=none\n", json!({}))
        .await;
    let id = text(&deployment, "id").to_owned();
    case.wait_status(&id, "healthy", SOON).await;
    let project = project_of(&id);
    let containers = project_container_ids(&project).await;
    let downs_before = count_calls(&case.agent_calls().await, &["down"]);

    case.hub.stop().await;
    // The outage must outlast the stale threshold (3 s) several times over.
    let outage = Duration::from_secs(10);
    let until = Instant::now() + outage;
    while Instant::now() < until {
        assert_eq!(
            project_container_ids(&project).await,
            containers,
            "workloads changed during the outage"
        );
        assert_eq!(
            inspect(AGENT_CONTAINER, "{{.State.Running}}")
                .await
                .as_deref(),
            Some("true")
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(
        count_calls(&case.agent_calls().await, &["down"]),
        downs_before,
        "nothing uninstalled"
    );
    let restarted_at = chrono::Utc::now();

    case.hub.start_again().await;
    until!("the target to be connected again", SOON, async {
        let t = case.api.target(&target).await;
        if t["connectionState"] == "connected" {
            Ok(())
        } else {
            Err(t["connectionState"].to_string())
        }
    });
    until!("statuses to resume", SOON, async {
        let d = case.api.deployment(&id).await;
        let at = text(&d["latestStatus"], "createdAt").to_owned();
        let fresh = chrono::DateTime::parse_from_rfc3339(&at).is_ok_and(|t| t > restarted_at);
        if d["latestStatus"]["type"] == "healthy" && fresh {
            Ok(())
        } else {
            Err(format!("{at} {}", d["health"]))
        }
    });
    assert_eq!(project_container_ids(&project).await, containers);
}

#[tokio::test]
async fn agent_killed_mid_apply_is_converged_by_the_next_agent_without_duplicates() {
    let Some(case) = setup::start("agent killed mid-apply", CaseOptions::default()).await else {
        return;
    };
    let target = case.connect_new_target("e2e-kill", &[]).await;
    // `up -d` waits for `slow` to become healthy (~8 s) before it starts `web`.
    let compose = format!(
        "services:\n  slow:\n    image: {WEB_IMAGE}\n    command: [\"sh\", \"-c\", \"sleep 8; exec httpd -f -p 8080 -h /www\"]\n  \
         web:\n    image: {WEB_IMAGE}\n    depends_on:\n      slow:\n        condition: service_healthy\n"
    );
    let (_, version) = case.api.create_application("slow", "1.0.0", &compose).await;
    let deployment = case.deploy(&target, &version, "", json!({})).await;
    let id = text(&deployment, "id").to_owned();
    let project = project_of(&id);

    until!("the apply to be under way", SOON, async {
        let calls = count_calls(&case.agent_calls().await, &["compose", "up"]);
        let started = !project_containers(&project).await.is_empty();
        if calls == 1 && started {
            Ok(())
        } else {
            Err(format!("calls={calls} started={started}"))
        }
    });
    docker_ok(&["kill", AGENT_CONTAINER]).await;
    let web = format!("{project}-web-1");
    let web_state = inspect(&web, "{{.State.Status}}").await;
    assert!(
        web_state.is_none() || web_state.as_deref() == Some("created"),
        "the agent was killed before the apply finished: web is {web_state:?}"
    );
    // `docker kill` counts as a manual stop, so the restart policy does not
    // apply: start the agent again as an operator would.
    docker_ok(&["start", AGENT_CONTAINER]).await;
    case.wait_status(&id, "healthy", SOON).await;
    let mut names = project_containers(&project).await;
    names.sort();
    assert_eq!(
        names,
        vec![format!("{project}-slow-1"), format!("{project}-web-1")]
    );
    let running = docker(&[
        "ps",
        "-q",
        "--filter",
        &format!("label=com.docker.compose.project={project}"),
    ])
    .await;
    assert_eq!(running.stdout.lines().count(), 2, "no duplicate containers");
}
