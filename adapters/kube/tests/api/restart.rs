//! Force restart by the `restartedAt` annotation (AP §8.6).

use chrono::{DateTime, Utc};
use distr_ports::agent::{KubeError, WorkloadRestarter};
use serde_json::{Value, json};

use crate::support::{Exchange, NAMESPACE, fixture, run};

const APPS: &str = "/apis/apps/v1/namespaces/apps";

fn restart_patch() -> Value {
    json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-11-26T21:30:05Z"
    }}}}})
}

fn strategic(path: &str) -> Exchange {
    Exchange::patch(path)
        .query("fieldManager", "distr-agent")
        .json_body("application/strategic-merge-patch+json", restart_patch())
}

#[tokio::test]
async fn every_workload_is_patched_and_failures_are_aggregated() {
    let script = vec![
        strategic(&format!("{APPS}/deployments/web")).reply(200, "deployment-web-restarted.json"),
        strategic(&format!("{APPS}/statefulsets/db"))
            .reply(404, "status-statefulset-db-not-found.json"),
        strategic(&format!("{APPS}/daemonsets/agent")).reply(200, "daemonset-agent-restarted.json"),
    ];
    let manifest = fixture("release-db.yaml");
    let at: DateTime<Utc> = "2026-11-26T21:30:05.987Z".parse().unwrap();
    let err = run(script, |cluster| async move {
        cluster.restart(NAMESPACE, &manifest, at).await
    })
    .await
    .unwrap_err();
    assert_eq!(
        err,
        KubeError::Several(vec!["statefulsets.apps \"db\" not found".to_owned()])
    );
}

#[tokio::test]
async fn a_release_whose_workloads_all_restart_succeeds() {
    let script = vec![
        strategic(&format!("{APPS}/deployments/web")).reply(200, "deployment-web-restarted.json"),
        strategic(&format!("{APPS}/daemonsets/agent")).reply(200, "daemonset-agent-restarted.json"),
    ];
    let manifest = fixture("release-web.yaml");
    let at: DateTime<Utc> = "2026-11-26T21:30:05Z".parse().unwrap();
    run(script, |cluster| async move {
        cluster.restart(NAMESPACE, &manifest, at).await
    })
    .await
    .unwrap();
}
