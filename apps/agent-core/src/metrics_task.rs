//! Host metrics every 30 s while the Hub enables them (AP §7.1 step 3, §7.9).

use std::sync::Arc;
use std::time::Duration;

use distr_ports::agent::{HostMetrics, HubApi};
use tokio::time::{Instant, interval_at};

use crate::AbortOnDrop;

/// Starts and stops the metrics loop following `metricsEnabled`.
#[derive(Debug)]
pub struct MetricsTask {
    hub: Arc<dyn HubApi>,
    metrics: Arc<dyn HostMetrics>,
    period: Duration,
    running: Option<AbortOnDrop>,
}

impl MetricsTask {
    /// A stopped task that samples every `period` once enabled.
    #[must_use]
    pub fn new(hub: Arc<dyn HubApi>, metrics: Arc<dyn HostMetrics>, period: Duration) -> Self {
        Self {
            hub,
            metrics,
            period,
            running: None,
        }
    }

    /// Whether the loop runs.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.running
            .as_ref()
            .is_some_and(|task| !task.is_finished())
    }

    /// Starts the loop when `enabled` and it is not running; stops it when
    /// not `enabled`. Must be called inside a tokio runtime.
    pub fn set_enabled(&mut self, enabled: bool) {
        if !enabled {
            if self.running.take().is_some() {
                tracing::info!("metrics disabled");
            }
            return;
        }
        if self.is_running() {
            return;
        }
        tracing::info!("metrics enabled");
        let (hub, metrics, period) = (
            Arc::clone(&self.hub),
            Arc::clone(&self.metrics),
            self.period,
        );
        self.running = Some(AbortOnDrop::spawn(async move {
            let mut ticker = interval_at(Instant::now() + period, period);
            loop {
                ticker.tick().await;
                match metrics.sample().await {
                    Ok(report) => {
                        if let Err(err) = hub.post_metrics(&report).await {
                            tracing::warn!(error = %err, "cannot post metrics");
                        }
                    }
                    Err(err) => tracing::warn!(error = %err, "cannot sample metrics"),
                }
            }
        }));
    }
}

#[cfg(test)]
mod tests {
    use distr_testkit::agent_fakes::{FakeHub, FakeMetrics};
    use tokio::time::sleep;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn metrics_are_posted_each_period_only_while_enabled() {
        let hub = FakeHub::new();
        let metrics = FakeMetrics::new();
        let mut task = MetricsTask::new(
            Arc::new(hub.clone()),
            Arc::new(metrics.clone()),
            Duration::from_millis(100),
        );
        sleep(Duration::from_millis(500)).await;
        assert!(hub.metrics().is_empty());

        task.set_enabled(true);
        task.set_enabled(true);
        sleep(Duration::from_millis(350)).await;
        assert_eq!(hub.metrics(), vec![FakeMetrics::SAMPLE; 3]);
        assert!(task.is_running());

        task.set_enabled(false);
        sleep(Duration::from_millis(500)).await;
        assert_eq!(hub.metrics().len(), 3);
        assert_eq!(metrics.sample_count(), 3);
        assert!(!task.is_running());
    }
}
