//! Node capacity plus `NodeMetrics` usage (AP §8.8).

use distr_ports::agent::HostMetrics;

use crate::support::{Exchange, run};

const NODE_METRICS: &str = "/apis/metrics.k8s.io/v1beta1/nodes";

#[tokio::test]
async fn capacity_and_usage_are_summed_over_all_nodes() {
    let script = vec![
        Exchange::get("/api/v1/nodes").reply(200, "node-list.json"),
        Exchange::get(&format!("{NODE_METRICS}/kind-control-plane"))
            .reply(200, "node-metrics-kind-control-plane.json"),
        Exchange::get(&format!("{NODE_METRICS}/kind-worker"))
            .reply(200, "node-metrics-kind-worker.json"),
    ];
    let report = run(script, |cluster| async move { cluster.sample().await })
        .await
        .unwrap();
    // cpu: capacity 4 + 2 cores; usage 1.5 + 0.25 cores.
    assert_eq!(report.cpu_cores_millis, 6000);
    assert!((report.cpu_usage - 1750.0 / 6000.0).abs() < 1e-12);
    // memory: 16318480Ki + 8Gi; usage 4079620Ki + 1Gi.
    let capacity: i64 = 16_318_480 * 1024 + 8 * 1024 * 1024 * 1024;
    let used: i64 = 4_079_620 * 1024 + 1024 * 1024 * 1024;
    assert_eq!(report.memory_bytes, capacity);
    #[expect(clippy::cast_precision_loss, reason = "test arithmetic")]
    let expected = used as f64 / capacity as f64;
    assert!((report.memory_usage - expected).abs() < 1e-12);
}

#[tokio::test]
async fn a_node_without_metrics_skips_the_round() {
    let script = vec![
        Exchange::get("/api/v1/nodes").reply(200, "node-list.json"),
        Exchange::get(&format!("{NODE_METRICS}/kind-control-plane"))
            .reply(200, "node-metrics-kind-control-plane.json"),
        Exchange::get(&format!("{NODE_METRICS}/kind-worker"))
            .reply(404, "status-node-metrics-not-found.json"),
    ];
    let err = run(script, |cluster| async move { cluster.sample().await })
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read host metrics: nodemetrics.metrics.k8s.io \"kind-worker\" not found"
    );
}
