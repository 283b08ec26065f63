use std::time::Duration;

use async_trait::async_trait;
use distr_domain::deployment::StatusType;
use distr_domain::ids::RevisionId;
use distr_domain::protocol::{LogRecordInput, MetricsReport};
use distr_ports::agent::{HubError, Resources};
use distr_testkit::agent_fakes::FakeHub;
use tokio::time::sleep;
use tracing_subscriber::layer::SubscriberExt;

use super::*;
use crate::AbortOnDrop;

const PERIOD: Duration = Duration::from_secs(30);

/// A Hub that logs while uploading agent logs, as an HTTP client would.
#[derive(Debug)]
struct ChattyHub(FakeHub);

#[async_trait]
impl HubApi for ChattyHub {
    async fn resources(&self, e: Option<&str>, w: Option<Duration>) -> Result<Resources, HubError> {
        self.0.resources(e, w).await
    }
    async fn manifest(&self) -> Result<String, HubError> {
        self.0.manifest().await
    }
    async fn post_status(&self, r: RevisionId, s: StatusType, m: &str) -> Result<(), HubError> {
        self.0.post_status(r, s, m).await
    }
    async fn post_metrics(&self, m: &MetricsReport) -> Result<(), HubError> {
        self.0.post_metrics(m).await
    }
    async fn put_logs(&self, r: &[LogRecordInput]) -> Result<(), HubError> {
        self.0.put_logs(r).await
    }
    async fn put_agent_logs(&self, r: &[TargetLogInput]) -> Result<(), HubError> {
        tracing::info!(records = r.len(), "uploading agent logs");
        tokio::task::yield_now().await;
        tracing::debug!("agent logs uploaded");
        self.0.put_agent_logs(r).await
    }
    async fn token(&self) -> Result<String, HubError> {
        self.0.token().await
    }
}

fn start(
    hub: &FakeHub,
) -> (
    tracing::subscriber::DefaultGuard,
    SelfLogBuffer,
    AbortOnDrop,
) {
    let (layer, shipper) = self_log_pipeline(PERIOD);
    let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));
    let buffer = shipper.buffer().clone();
    let task = AbortOnDrop::spawn(shipper.run(Arc::new(ChattyHub(hub.clone()))));
    (guard, buffer, task)
}

#[tokio::test(start_paused = true)]
async fn records_debug_and_above_with_level_names_and_fields() {
    let hub = FakeHub::new();
    let (_guard, buffer, _task) = start(&hub);
    tracing::trace!("too fine");
    tracing::debug!("d");
    tracing::info!(deployment.id = "abc", "applied");
    tracing::warn!("w");
    tracing::error!("e");
    assert_eq!(buffer.len(), 4);
    sleep(PERIOD + Duration::from_secs(1)).await;
    let batches = hub.agent_log_batches();
    assert_eq!(batches.len(), 1);
    let got: Vec<(&str, &str)> = batches[0]
        .iter()
        .map(|r| (r.severity.as_str(), r.body.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("debug", "d"),
            ("info", "applied deployment.id=abc"),
            ("warn", "w"),
            ("error", "e")
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn the_buffer_flushes_when_128_records_arrived() {
    let hub = FakeHub::new();
    let (_guard, _buffer, _task) = start(&hub);
    for i in 0..SELF_LOG_BATCH {
        tracing::info!(i, "record");
    }
    sleep(Duration::from_millis(10)).await;
    let batches = hub.agent_log_batches();
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].len(), SELF_LOG_BATCH);
}

#[tokio::test(start_paused = true)]
async fn the_timer_starts_with_the_first_record() {
    let hub = FakeHub::new();
    let (_guard, _buffer, _task) = start(&hub);
    sleep(Duration::from_secs(100)).await;
    assert!(hub.agent_log_batches().is_empty());
    tracing::info!("first");
    sleep(PERIOD - Duration::from_secs(1)).await;
    assert!(hub.agent_log_batches().is_empty());
    sleep(Duration::from_secs(2)).await;
    assert_eq!(hub.agent_log_batches().len(), 1);
    sleep(PERIOD).await;
    assert_eq!(hub.agent_log_batches().len(), 1, "nothing new, no upload");
}

#[tokio::test(start_paused = true)]
async fn the_upload_does_not_ship_its_own_records() {
    let hub = FakeHub::new();
    let (_guard, buffer, _task) = start(&hub);
    tracing::info!("only this");
    sleep(PERIOD + Duration::from_secs(1)).await;
    assert_eq!(hub.agent_log_batches()[0].len(), 1);
    assert!(buffer.is_empty());
    sleep(PERIOD * 3).await;
    assert_eq!(hub.agent_log_batches().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_flush_keeps_the_records_in_order_for_the_next_one() {
    let hub = FakeHub::new();
    hub.fail_agent_logs(true);
    let (_guard, _buffer, _task) = start(&hub);
    tracing::info!("one");
    sleep(PERIOD + Duration::from_secs(1)).await;
    hub.fail_agent_logs(false);
    tracing::info!("two");
    sleep(PERIOD).await;
    let batches = hub.agent_log_batches();
    assert_eq!(batches.len(), 2);
    let bodies: Vec<&str> = batches[1].iter().map(|r| r.body.as_str()).collect();
    assert_eq!(bodies.len(), 3);
    assert_eq!((bodies[0], bodies[2]), ("one", "two"));
    assert!(bodies[1].starts_with("cannot upload agent logs"));
}

#[test]
fn the_buffer_is_capped_dropping_the_oldest() {
    let buffer = SelfLogBuffer::default();
    for i in 0..SELF_LOG_CAP + 5 {
        buffer.push(TargetLogInput {
            timestamp: chrono::DateTime::UNIX_EPOCH,
            severity: "info".to_owned(),
            body: i.to_string(),
        });
    }
    assert_eq!(buffer.len(), SELF_LOG_CAP);
    assert_eq!(
        buffer.lock().records.front().map(|r| r.body.as_str()),
        Some("5")
    );
}
