//! Metrics and workload logs reach the Hub; logs only where enabled.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::api::text;
use crate::compose_lifecycle::web_compose;
use crate::images::WEB_IMAGE;
use crate::setup::{self, CaseOptions, SOON};

/// Metrics and logs ship every 30 s (AP §7.8, §7.9).
const SHIPPING: Duration = Duration::from_secs(120);

#[tokio::test]
async fn metrics_and_logs_reach_the_hub_and_logs_only_for_deployments_with_logs_enabled() {
    let Some(case) = setup::start("telemetry", CaseOptions::default()).await else {
        return;
    };
    let target = case.connect_new_target("e2e-telemetry", &[]).await;
    let env_file = "GREETING=hi\nAPI_KEY=none\n";
    let (_, version) = case
        .api
        .create_application("chatty", "1.0.0", &web_compose(WEB_IMAGE))
        .await;
    let logged = case
        .deploy(&target, &version, env_file, json!({"logsEnabled": true}))
        .await;
    let silent = case
        .deploy(&target, &version, env_file, json!({"logsEnabled": false}))
        .await;
    let logged_id = text(&logged, "id").to_owned();
    let silent_id = text(&silent, "id").to_owned();
    case.wait_status(&logged_id, "healthy", SOON).await;
    case.wait_status(&silent_id, "healthy", SOON).await;

    // httpd -v logs every healthcheck request, so both containers do log.
    let sample = until!("a metrics sample at the hub", SHIPPING, async {
        let latest = case
            .api
            .ok(Method::GET, "/deployment-target-metrics", None)
            .await;
        let sample = latest
            .as_array()
            .and_then(|l| {
                l.iter()
                    .find(|m| m["deploymentTargetId"] == target.as_str())
            })
            .cloned();
        sample.ok_or_else(|| latest.to_string())
    });
    let number = |key: &str| {
        sample[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} in {sample}"))
    };
    assert!((0.0..=1.0).contains(&number("cpuUsage")), "{sample}");
    assert!(
        number("memoryUsage") > 0.0 && number("memoryUsage") <= 1.0,
        "{sample}"
    );
    assert!(number("cpuCoresMillis") >= 1000.0, "{sample}");
    assert!(number("memoryBytes") > 0.0, "{sample}");

    let resources = |id: String| {
        let api = &case.api;
        async move {
            api.ok(
                Method::GET,
                &format!("/deployments/{id}/logs/resources"),
                None,
            )
            .await
        }
    };
    let logged_resources = until!("workload logs at the hub", SHIPPING, async {
        let listed = resources(logged_id.clone()).await;
        if listed.as_array().is_some_and(|l| !l.is_empty()) {
            Ok(listed)
        } else {
            Err(listed.to_string())
        }
    });
    assert_eq!(
        logged_resources,
        json!(["web-1"]),
        "resource is the container name minus the project prefix"
    );
    let page = case
        .api
        .ok(
            Method::GET,
            &format!("/deployments/{logged_id}/logs?resource=web-1"),
            None,
        )
        .await;
    assert!(
        page.as_array().is_some_and(|rows| !rows.is_empty()),
        "the records of web-1 are listed: {page}"
    );
    assert_eq!(
        resources(silent_id.clone()).await,
        json!([]),
        "no logs without logsEnabled"
    );
}
