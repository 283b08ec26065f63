//! deploy → progressing → running → healthy; a failing chart → error with
//! Helm's message; an update upgrades; undeploy → uninstall; metrics and
//! logs arrive.

use std::time::Duration;

use distr_domain::agent::WorkloadLogLine;
use distr_testkit::agent_fakes::HelmCall;
use reqwest::Method;
use serde_json::json;

use crate::agent::{Case, NS};

#[tokio::test]
async fn helm_agent_against_the_real_hub() {
    let mut case = Case::start().await;
    case.helm.set_delay(Duration::from_millis(2500));
    case.kube.set_log_lines(vec![WorkloadLogLine {
        resource: "deployments/shop".to_owned(),
        severity: "Log".to_owned(),
        line: "2026-11-26T21:00:00.000000001Z hello from the shop".to_owned(),
    }]);

    // Deploy: progressing while Helm runs, running after, healthy on the next check.
    let shop = case
        .chart_application("Shop", "replicas: 1\ngreeting: base\n")
        .await;
    let shop_id = case.deploy(&shop, "greeting: from customer\n").await;
    case.wait_status(&shop_id, "progressing", "helm operation in progress")
        .await;
    case.wait_status(&shop_id, "running", "helm install succeeded")
        .await;
    case.wait_status(
        &shop_id,
        "healthy",
        "status check passed. 2 resources healthy",
    )
    .await;
    let release = case.helm.release(NS, "shop").expect("release shop");
    assert_eq!(
        release.values,
        json!({"replicas": 1, "greeting": "from customer"}),
        "the Hub's merged values reach Helm"
    );
    assert_eq!(case.kube.records(NS).len(), 1);
    assert!(case.kube.pull_secret(NS, "shop").is_some());

    // A failing chart reports Helm's message; the other deployment is unaffected.
    case.helm
        .fail_install("broken", Some("chart \"web\" version \"0.1.0\" not found"));
    let broken = case.chart_application("Broken", "").await;
    let broken_id = case.deploy(&broken, "").await;
    let error = case
        .wait_status(
            &broken_id,
            "error",
            "install error: Error: INSTALLATION FAILED: chart \"web\" version \"0.1.0\" not found",
        )
        .await;
    assert!(error["message"].as_str().unwrap().contains("not found"));

    // Metrics and workload logs arrive.
    until!("metrics of the target", Duration::from_secs(30), async {
        let latest = case
            .api
            .ok(Method::GET, "/deployment-target-metrics", None)
            .await;
        let text = latest.to_string();
        if text.contains(&case.target_id) && text.contains("4000") {
            Ok(())
        } else {
            Err(text)
        }
    });
    until!("workload logs of shop", Duration::from_secs(30), async {
        let logs = case
            .api
            .ok(
                Method::GET,
                &format!("/deployments/{shop_id}/logs?resource=deployments%2Fshop"),
                None,
            )
            .await;
        let text = logs.to_string();
        if text.contains("hello from the shop") && text.contains("deployments/shop") {
            Ok(())
        } else {
            Err(text)
        }
    });

    // An update upgrades the release.
    let body = json!({"deploymentId": shop_id, "deploymentTargetId": case.target_id,
                      "applicationVersionId": shop, "valuesYaml": crate::api::b64("greeting: updated\n"),
                      "logsEnabled": true});
    case.api.put_deployment(body).await;
    case.wait_status(&shop_id, "running", "helm upgrade succeeded")
        .await;
    assert_eq!(
        case.helm.release(NS, "shop").unwrap().values["greeting"],
        "updated"
    );

    // Undeploy: Helm uninstall and the state record removed.
    case.api.delete_deployment(&shop_id).await;
    until!("uninstall of shop", Duration::from_secs(30), async {
        let calls = case.helm.calls();
        if calls.contains(&HelmCall::Uninstall(NS.into(), "shop".into()))
            && case.helm.release(NS, "shop").is_none()
            && case
                .kube
                .records(NS)
                .iter()
                .all(|r| r.release_name != "shop")
        {
            Ok(())
        } else {
            Err(format!("{calls:?}"))
        }
    });
    assert!(
        !case
            .helm
            .calls()
            .contains(&HelmCall::Uninstall(NS.into(), "broken".into())),
        "a deployment that never installed is not uninstalled"
    );
    case.stop_agent().await;
}
