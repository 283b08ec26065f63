//! Self-update between two locally built agent image tags.

use reqwest::Method;
use serde_json::json;

use crate::api::text;
use crate::compose_lifecycle::web_compose;
use crate::docker::{container_env, inspect};
use crate::images::{AGENT_REPOSITORY, AGENT_V1, AGENT_V2, WEB_IMAGE};
use crate::setup::{self, AGENT_CONTAINER, Case, CaseOptions, SOON, project_of};

/// The id of a registered agent version, from `GET /agent-versions`.
async fn agent_version_id(case: &Case, name: &str) -> String {
    let list = case.api.ok(Method::GET, "/agent-versions", None).await;
    let listed = list
        .as_array()
        .and_then(|l| l.iter().find(|v| v["name"] == name))
        .unwrap_or_else(|| panic!("agent version {name} not listed: {list}"));
    text(listed, "id").to_owned()
}

#[tokio::test]
async fn changing_the_agent_version_replaces_the_agent_container_and_leaves_workloads_running() {
    let Some(case) = setup::start("self-update", CaseOptions::default()).await else {
        return;
    };
    let added = case
        .hub
        .cli(&["agent-version", "add", "--name", AGENT_V2])
        .await;
    assert!(
        added.ok(),
        "agent-version add: {}{}",
        added.stdout,
        added.stderr
    );
    let v2_id = agent_version_id(&case, AGENT_V2).await;

    let target = case.connect_new_target("e2e-self-update", &[]).await;
    let (_, version) = case
        .api
        .create_application("steady", "1.0.0", &web_compose(WEB_IMAGE))
        .await;
    let deployment = case
        .deploy(&target, &version, "GREETING=hi\nAPI_KEY=none\n", json!({}))
        .await;
    let id = text(&deployment, "id").to_owned();
    case.wait_status(&id, "healthy", SOON).await;
    let web = format!("{}-web-1", project_of(&id));
    let web_before = inspect(&web, "{{.Id}}").await.expect("web container");
    let agent_before = inspect(AGENT_CONTAINER, "{{.Id}}")
        .await
        .expect("agent container");
    let reported_before = case.api.target(&target).await["reportedAgentVersionName"].clone();

    case.api.set_agent_version(&target, &v2_id).await;

    let new_image = format!("{AGENT_REPOSITORY}:{AGENT_V2}");
    until!("the agent container to run the new image", SOON, async {
        let now = inspect(
            AGENT_CONTAINER,
            "{{.Id}} {{.Config.Image}} {{.State.Running}}",
        )
        .await
        .unwrap_or_default();
        let expected_tail = format!("{new_image} true");
        if !now.starts_with(&agent_before) && now.ends_with(&expected_tail) {
            Ok(())
        } else {
            Err(now)
        }
    });
    let env = container_env(AGENT_CONTAINER).await;
    assert!(
        env.contains(&format!("DISTR_AGENT_VERSION_ID={v2_id}")),
        "{env:?}"
    );
    let secret = env.iter().find(|l| l.starts_with("DISTR_TARGET_SECRET="));
    assert!(
        secret.is_some_and(|l| l.len() > "DISTR_TARGET_SECRET=".len()),
        "the new agent keeps a real secret"
    );
    // The workload was not touched, and the new agent keeps reporting it.
    case.wait_status(&id, "healthy", SOON).await;
    assert_eq!(
        inspect(&web, "{{.Id}}").await.as_deref(),
        Some(web_before.as_str())
    );
    assert_eq!(
        inspect(&web, "{{.State.Running}}").await.as_deref(),
        Some("true")
    );

    // The agent reports its image's release name (DISTR_AGENT_VERSION_NAME).
    assert_eq!(
        reported_before, AGENT_V1,
        "reported version before the update"
    );
    until!("the hub to see the new reported version", SOON, async {
        let t = case.api.target(&target).await;
        if t["reportedAgentVersionName"] == AGENT_V2 {
            Ok(())
        } else {
            Err(t["reportedAgentVersionName"].to_string())
        }
    });
}
