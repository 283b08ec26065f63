//! Cluster metrics: node capacity plus `metrics.k8s.io` `NodeMetrics` usage
//! (AP §8.8). Needs cluster scope and metrics-server.

use async_trait::async_trait;
use distr_domain::protocol::MetricsReport;
use distr_ports::agent::{HostMetrics, MetricsError};
use k8s_openapi::api::core::v1::Node;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kube::Api;
use kube::api::{ApiResource, DynamicObject, ListParams};
use kube::core::GroupVersionKind;

use crate::KubeCluster;
use crate::error::api_error;
use crate::quantity::scaled;

/// Summed capacity and usage of all nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Totals {
    capacity_millis: i64,
    capacity_bytes: i64,
    usage_millis: i64,
    usage_bytes: i64,
}

#[async_trait]
impl HostMetrics for KubeCluster {
    /// Fails (nothing is posted) when a node's metrics cannot be read or
    /// either capacity is 0.
    async fn sample(&self) -> Result<MetricsReport, MetricsError> {
        let failed = |err: String| MetricsError(err);
        let nodes: Api<Node> = Api::all(self.client.clone());
        let node_metrics: Api<DynamicObject> = Api::all_with(
            self.client.clone(),
            &ApiResource::from_gvk_with_plural(
                &GroupVersionKind::gvk("metrics.k8s.io", "v1beta1", "NodeMetrics"),
                "nodes",
            ),
        );
        let list = nodes
            .list(&ListParams::default())
            .await
            .map_err(|err| failed(api_error(err).to_string()))?;
        let mut totals = Totals::default();
        for node in &list.items {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let capacity = node.status.as_ref().and_then(|s| s.capacity.as_ref());
            let quantity = |key: &str| capacity.and_then(|c| c.get(key)).map(|q| q.0.as_str());
            totals.capacity_millis = totals.capacity_millis.saturating_add(amount(
                name,
                "capacity cpu",
                quantity("cpu"),
                3,
            )?);
            totals.capacity_bytes = totals.capacity_bytes.saturating_add(amount(
                name,
                "capacity memory",
                quantity("memory"),
                0,
            )?);
            let usage = node_metrics
                .get(name)
                .await
                .map_err(|err| failed(api_error(err).to_string()))?;
            let used = |key: &str| {
                usage
                    .data
                    .pointer(&format!("/usage/{key}"))
                    .and_then(|v| serde_json::from_value::<Quantity>(v.clone()).ok())
            };
            totals.usage_millis = totals.usage_millis.saturating_add(amount(
                name,
                "usage cpu",
                used("cpu").as_ref().map(|q| q.0.as_str()),
                3,
            )?);
            totals.usage_bytes = totals.usage_bytes.saturating_add(amount(
                name,
                "usage memory",
                used("memory").as_ref().map(|q| q.0.as_str()),
                0,
            )?);
        }
        report(totals).ok_or_else(|| failed("node capacity is zero".to_owned()))
    }
}

/// A node quantity scaled to millicores (3) or bytes (0); an absent or
/// unreadable one fails the round.
fn amount(node: &str, what: &str, text: Option<&str>, scale: i32) -> Result<i64, MetricsError> {
    text.and_then(|text| scaled(text, scale))
        .ok_or_else(|| MetricsError(format!("node {node} has no valid {what}")))
}

/// `None` when either capacity is 0; usages are clamped to [0, 1] as the
/// metrics port requires.
#[expect(
    clippy::cast_precision_loss,
    reason = "a usage fraction needs no exact integers"
)]
fn report(totals: Totals) -> Option<MetricsReport> {
    if totals.capacity_millis <= 0 || totals.capacity_bytes <= 0 {
        return None;
    }
    let fraction = |used: i64, capacity: i64| (used as f64 / capacity as f64).clamp(0.0, 1.0);
    Some(MetricsReport {
        cpu_cores_millis: totals.capacity_millis,
        cpu_usage: fraction(totals.usage_millis, totals.capacity_millis),
        memory_bytes: totals.capacity_bytes,
        memory_usage: fraction(totals.usage_bytes, totals.capacity_bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_a_fraction_of_capacity_and_zero_capacity_posts_nothing() {
        let totals = Totals {
            capacity_millis: 4000,
            capacity_bytes: 8000,
            usage_millis: 1000,
            usage_bytes: 2000,
        };
        let sample = report(totals).unwrap();
        assert_eq!(sample.cpu_cores_millis, 4000);
        assert!((sample.cpu_usage - 0.25).abs() < 1e-12);
        assert_eq!(sample.memory_bytes, 8000);
        assert!((sample.memory_usage - 0.25).abs() < 1e-12);
        assert_eq!(
            report(Totals {
                capacity_millis: 0,
                ..totals
            }),
            None
        );
        assert_eq!(
            report(Totals {
                capacity_bytes: 0,
                ..totals
            }),
            None
        );
        let over = report(Totals {
            usage_millis: 9000,
            ..totals
        })
        .unwrap();
        assert!((over.cpu_usage - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_missing_quantity_names_the_node() {
        assert_eq!(
            amount("n1", "usage cpu", None, 3).unwrap_err().to_string(),
            "cannot read host metrics: node n1 has no valid usage cpu"
        );
        assert_eq!(amount("n1", "capacity cpu", Some("2"), 3).unwrap(), 2000);
    }
}
