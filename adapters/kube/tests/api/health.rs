//! Resource health of a release manifest (AP §8.5).

use distr_ports::agent::{KubeError, WorkloadHealth};

use crate::support::{Exchange, NAMESPACE, fixture, run};

const APPS: &str = "/apis/apps/v1/namespaces/apps";

#[tokio::test]
async fn all_objects_healthy_counts_every_object_and_reads_only_workloads() {
    let script = vec![
        Exchange::get(&format!("{APPS}/deployments/web")).reply(200, "deployment-web-ready.json"),
        Exchange::get(&format!("{APPS}/daemonsets/agent")).reply(200, "daemonset-agent-ready.json"),
    ];
    let manifest = fixture("release-web.yaml");
    let count = run(script, |cluster| async move {
        cluster.check(NAMESPACE, &manifest).await
    })
    .await;
    assert_eq!(count, Ok(4));
}

#[tokio::test]
async fn the_first_unready_workload_fails_with_the_exact_message() {
    let script = vec![
        Exchange::get(&format!("{APPS}/deployments/web")).reply(200, "deployment-web-ready.json"),
        Exchange::get(&format!("{APPS}/statefulsets/db")).reply(200, "statefulset-db-unready.json"),
    ];
    let manifest = fixture("release-db.yaml");
    let err = run(script, |cluster| async move {
        cluster.check(NAMESPACE, &manifest).await
    })
    .await
    .unwrap_err();
    assert_eq!(
        err,
        KubeError::Unhealthy(
            "StatefulSet db status check failed: ReadyReplicas (1) is less than desired (3)"
                .to_owned()
        )
    );
}

#[tokio::test]
async fn a_daemon_set_with_unavailable_pods_fails_with_ready_and_desired() {
    let script = vec![
        Exchange::get(&format!("{APPS}/deployments/web")).reply(200, "deployment-web-ready.json"),
        Exchange::get(&format!("{APPS}/daemonsets/agent"))
            .reply(200, "daemonset-agent-unavailable.json"),
    ];
    let manifest = fixture("release-web.yaml");
    let err = run(script, |cluster| async move {
        cluster.check(NAMESPACE, &manifest).await
    })
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "DaemonSet agent status check failed: ReadyReplicas (2) is less than desired (3)"
    );
}

#[tokio::test]
async fn a_missing_workload_reports_the_api_message() {
    let script = vec![
        Exchange::get(&format!("{APPS}/deployments/web")).reply(200, "deployment-web-ready.json"),
        Exchange::get(&format!("{APPS}/statefulsets/db"))
            .reply(404, "status-statefulset-db-not-found.json"),
    ];
    let manifest = fixture("release-db.yaml");
    let err = run(script, |cluster| async move {
        cluster.check(NAMESPACE, &manifest).await
    })
    .await
    .unwrap_err();
    assert_eq!(
        err,
        KubeError::Api("statefulsets.apps \"db\" not found".to_owned())
    );
}
