//! Connect, deploy to `healthy`, idle ticks without compose, update, undeploy.

use serde_json::json;

use crate::api::text;
use crate::docker::{container_env, project_containers, volume_exists};
use crate::images::WEB_IMAGE;
use crate::setup::{self, CaseOptions, SOON, count_calls, project_of};
use crate::wait;

/// The test application: env from the env file, a named volume, a healthcheck.
pub fn web_compose(image: &str) -> String {
    format!(
        "services:\n  web:\n    image: {image}\n    environment:\n      GREETING: ${{GREETING}}\n      \
         API_KEY: ${{API_KEY}}\n    volumes:\n      - data:/data\nvolumes:\n  data: {{}}\n"
    )
}

#[tokio::test]
async fn compose_application_is_connected_deployed_healthy_updated_and_undeployed() {
    let Some(case) = setup::start("compose lifecycle", CaseOptions::default()).await else {
        return;
    };
    // 1. Connect.
    let target = case.connect_new_target("e2e-compose", &[]).await;

    // 2. Deploy: env file values and a rendered secret reach the container.
    case.api.create_secret("API_KEY", "s3cr3t-value").await;
    let (app, v1) = case
        .api
        .create_application("web", "1.0.0", &web_compose(WEB_IMAGE))
        .await;
    let env_file = "GREETING=hello-one\nAPI_KEY={{ .Secrets.API_KEY }}\n";
    let deployment = case.deploy(&target, &v1, env_file, json!({})).await;
    let id = text(&deployment, "id").to_owned();
    let project = project_of(&id);
    let healthy = case.wait_status(&id, "healthy", SOON).await;
    assert_eq!(healthy["health"], "healthy");
    let container = format!("{project}-web-1");
    let env = container_env(&container).await;
    assert!(env.contains(&"GREETING=hello-one".to_owned()), "{env:?}");
    assert!(env.contains(&"API_KEY=s3cr3t-value".to_owned()), "{env:?}");
    assert!(volume_exists(&format!("{project}_data")).await);

    // 3a. Idle ticks spawn no compose process: the status record keeps being
    // refreshed (one record per unchanged message, createdAt advancing).
    let calls_before = count_calls(&case.agent_calls().await, &["compose"]);
    let mut last = text(&healthy["latestStatus"], "createdAt").to_owned();
    let mut refreshes = 0;
    let deadline = std::time::Instant::now() + SOON;
    while refreshes < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "status not refreshed while idle"
        );
        tokio::time::sleep(wait::POLL).await;
        let d = case.api.deployment(&id).await;
        assert_eq!(d["latestStatus"]["type"], "healthy", "{d}");
        let now = text(&d["latestStatus"], "createdAt").to_owned();
        if now != last {
            refreshes += 1;
            last = now;
        }
    }
    let calls_idle = count_calls(&case.agent_calls().await, &["compose"]);
    assert_eq!(calls_idle, calls_before, "idle ticks ran docker compose");

    // 3b. Update: a new version and env file are applied and reported.
    let v2 = case
        .api
        .create_version(&app, "2.0.0", &web_compose(WEB_IMAGE))
        .await;
    let updated = case
        .api
        .put_deployment(json!({
            "deploymentTargetId": target,
            "deploymentId": id,
            "applicationVersionId": v2,
            "envFileData": crate::api::b64("GREETING=hello-two\nAPI_KEY={{ .Secrets.API_KEY }}\n"),
        }))
        .await;
    assert_ne!(
        updated["deploymentRevisionId"],
        healthy["deploymentRevisionId"]
    );
    let healthy2 = case.wait_status(&id, "healthy", SOON).await;
    assert_eq!(healthy2["applicationVersionName"], "2.0.0");
    let env = until!("the new env in the container", SOON, async {
        let env = container_env(&container).await;
        if env.contains(&"GREETING=hello-two".to_owned()) {
            Ok(env)
        } else {
            Err(format!("{env:?}"))
        }
    });
    assert!(env.contains(&"API_KEY=s3cr3t-value".to_owned()));
    let ups = count_calls(&case.agent_calls().await, &["compose", "up"]);
    assert_eq!(ups, 2, "one compose up per revision");

    // 4. Undeploy removes the project and its named volumes.
    case.api.delete_deployment(&id).await;
    until!("the project to be removed", SOON, async {
        let left = project_containers(&project).await;
        let volume = volume_exists(&format!("{project}_data")).await;
        if left.is_empty() && !volume {
            Ok(())
        } else {
            Err(format!("{left:?} volume={volume}"))
        }
    });
    let downs = count_calls(&case.agent_calls().await, &["compose", "down"]);
    assert_eq!(downs, 1);
}
