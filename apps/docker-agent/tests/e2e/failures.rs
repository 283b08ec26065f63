//! A failing deployment reports `error` with the CLI output, alone.

use serde_json::json;

use crate::api::text;
use crate::compose_lifecycle::web_compose;
use crate::images::WEB_IMAGE;
use crate::setup::{self, CaseOptions, SOON};

#[tokio::test]
async fn deployment_with_a_missing_image_reports_error_while_its_neighbour_stays_healthy() {
    let Some(case) = setup::start("failure isolation", CaseOptions::default()).await else {
        return;
    };
    let target = case.connect_new_target("e2e-failures", &[]).await;
    let env_file = "GREETING=hi\nAPI_KEY=none\n";
    let (_, good_version) = case
        .api
        .create_application("good", "1.0.0", &web_compose(WEB_IMAGE))
        .await;
    let (_, bad_version) = case
        .api
        .create_application(
            "broken",
            "1.0.0",
            "services:\n  ghost:\n    image: distr-test/does-not-exist:404\n",
        )
        .await;
    let good = case
        .deploy(&target, &good_version, env_file, json!({}))
        .await;
    let bad = case.deploy(&target, &bad_version, "", json!({})).await;
    let good_id = text(&good, "id").to_owned();
    let bad_id = text(&bad, "id").to_owned();

    let failed = case.wait_status(&bad_id, "error", SOON).await;
    let message = text(&failed["latestStatus"], "message");
    assert!(
        message.contains("ghost") && message.contains("Error"),
        "the error carries the compose output: {message}"
    );
    case.wait_status(&good_id, "healthy", SOON).await;

    // The neighbour keeps reporting healthy while the broken one keeps failing.
    let statuses = case.api.statuses(&good_id).await;
    assert!(
        statuses.iter().all(|s| s["type"] != "error"),
        "the healthy deployment never got an error: {statuses:?}"
    );
    let failed_again = case.wait_status(&bad_id, "error", SOON).await;
    assert_eq!(failed_again["health"], "error");
    let good_now = case.api.deployment(&good_id).await;
    assert_eq!(good_now["health"], "healthy", "{good_now}");
}
