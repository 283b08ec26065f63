use async_trait::async_trait;
use distr_domain::protocol::MetricsReport;

/// A failure to read host metrics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read host metrics: {0}")]
pub struct MetricsError(pub String);

/// Host-wide metrics (AP §7.9).
#[async_trait]
pub trait HostMetrics: Send + Sync + std::fmt::Debug {
    /// One sample. CPU usage is the delta since the previous call (the first
    /// call MAY report 0); usages MUST be within [0, 1].
    async fn sample(&self) -> Result<MetricsReport, MetricsError>;
}
