use std::sync::Mutex;

use distr_ports::store::{MetricsStore as _, OrganizationStore as _, TargetStore as _};
use distr_testkit::builders::{
    MetricsSampleBuilder, OrganizationBuilder, TargetBuilder, at_seconds,
};
use distr_testkit::{ManualClock, MemoryStore};

use super::*;

#[derive(Debug, Default)]
struct Recorder {
    deleted: Mutex<u64>,
    succeeded: Mutex<Vec<RetentionJob>>,
}

impl RetentionObserver for Recorder {
    fn deleted(&self, _: RetentionJob, rows: u64) {
        *self.deleted.lock().unwrap() += rows;
    }
    fn succeeded(&self, job: RetentionJob, _: DateTime<Utc>) {
        self.succeeded.lock().unwrap().push(job);
    }
}

/// A store with one target holding `samples` metrics samples, one per second
/// from t=0, and a clock at t=10000.
async fn fixture(samples: i64) -> (Arc<MemoryStore>, Arc<ManualClock>) {
    let store = Arc::new(MemoryStore::new());
    let org = OrganizationBuilder::new().build();
    store.create_organization(&org).await.unwrap();
    let target = TargetBuilder::docker(org.id).build();
    store.create_target(&target).await.unwrap();
    for at in 0..samples {
        store
            .insert_metrics(&MetricsSampleBuilder::new(target.id, at_seconds(at)).build())
            .await
            .unwrap();
    }
    (store, Arc::new(ManualClock::new(at_seconds(10_000))))
}

fn runner(
    store: &Arc<MemoryStore>,
    clock: &Arc<ManualClock>,
    max_age: Option<Duration>,
    observer: Arc<dyn RetentionObserver>,
) -> Runner {
    let mut config = HubConfig::with_defaults(vec![0; 32]);
    config.metrics_entries_max_age = max_age;
    Runner::new(store.clone(), clock.clone(), Arc::new(config), observer)
}

fn running() -> watch::Receiver<bool> {
    watch::channel(false).1
}

#[tokio::test]
async fn a_run_deletes_expired_rows_in_batches_and_reports_success() {
    let (store, clock) = fixture(2500).await;
    let recorder = Arc::new(Recorder::default());
    let runner = runner(
        &store,
        &clock,
        Some(Duration::from_secs(1)),
        recorder.clone(),
    );
    let report = runner
        .run(
            RetentionJob::DeploymentTargetMetrics,
            at_seconds(1000),
            None,
            &running(),
        )
        .await
        .unwrap();
    assert_eq!(report.outcome, Outcome::Done);
    assert_eq!(report.deleted, 2499, "the newest sample stays");
    assert_eq!(*recorder.deleted.lock().unwrap(), 2499);
    assert_eq!(
        *recorder.succeeded.lock().unwrap(),
        [RetentionJob::DeploymentTargetMetrics]
    );
}

#[tokio::test]
async fn a_slot_runs_once_across_runners() {
    let (store, clock) = fixture(3).await;
    let age = Some(Duration::from_secs(1));
    let first = runner(&store, &clock, age, Arc::new(NoObserver));
    let second = runner(&store, &clock, age, Arc::new(NoObserver));
    let job = RetentionJob::DeploymentTargetMetrics;
    let slot = at_seconds(1000);
    assert_eq!(
        first
            .run(job, slot, None, &running())
            .await
            .unwrap()
            .deleted,
        2
    );
    let again = second.run(job, slot, None, &running()).await.unwrap();
    assert_eq!(again.outcome, Outcome::Busy);
    clock.advance(Duration::from_secs(60));
    let next = second
        .run(job, at_seconds(1060), None, &running())
        .await
        .unwrap();
    assert_eq!(next.outcome, Outcome::Done);
}

#[tokio::test]
async fn an_unset_setting_disables_the_job() {
    let (store, clock) = fixture(3).await;
    let runner = runner(&store, &clock, None, Arc::new(NoObserver));
    let report = runner
        .run(
            RetentionJob::DeploymentTargetMetrics,
            at_seconds(1000),
            None,
            &running(),
        )
        .await
        .unwrap();
    assert_eq!(report.outcome, Outcome::Disabled);
    assert_eq!(report.deleted, 0);
}

#[tokio::test]
async fn shutdown_stops_a_run_before_its_next_batch() {
    let (store, clock) = fixture(3).await;
    let runner = runner(
        &store,
        &clock,
        Some(Duration::from_secs(1)),
        Arc::new(NoObserver),
    );
    let (_tx, stopped) = watch::channel(true);
    let report = runner
        .run(
            RetentionJob::DeploymentTargetMetrics,
            at_seconds(1000),
            None,
            &stopped,
        )
        .await
        .unwrap();
    assert_eq!(report.outcome, Outcome::Stopped);
    assert_eq!(report.deleted, 0);
}

#[tokio::test]
async fn a_zero_timeout_ends_the_run_at_the_first_boundary() {
    let (store, clock) = fixture(3).await;
    let runner = runner(
        &store,
        &clock,
        Some(Duration::from_secs(1)),
        Arc::new(NoObserver),
    );
    let report = runner
        .run(
            RetentionJob::DeploymentTargetMetrics,
            at_seconds(1000),
            Some(Duration::ZERO),
            &running(),
        )
        .await
        .unwrap();
    assert_eq!(report.outcome, Outcome::TimedOut);
}

#[test]
fn cron_schedules_need_five_valid_fields() {
    assert!(schedule::parse_cron("0 * * * *").is_ok());
    assert!(schedule::parse_cron("*/5 1-3 * * MON").is_ok());
    assert!(schedule::parse_cron("0 0 * * * *").is_err());
    assert!(schedule::parse_cron("61 * * * *").is_err());
}
