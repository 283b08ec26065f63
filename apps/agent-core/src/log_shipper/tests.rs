use std::sync::Mutex;

use distr_testkit::ManualClock;
use distr_testkit::agent_fakes::FakeHub;
use distr_testkit::builders::at_seconds;

use super::*;

#[derive(Debug, Default)]
struct ScriptedSource {
    subjects: Mutex<Vec<LogSubject<u32>>>,
    lines: Mutex<HashMap<u32, Result<Vec<WorkloadLogLine>, String>>>,
    calls: Mutex<Vec<(u32, DateTime<Utc>)>>,
}

#[async_trait]
impl LogSource for Arc<ScriptedSource> {
    type Handle = u32;

    async fn subjects(&self) -> Result<Vec<LogSubject<u32>>, String> {
        Ok(self.subjects.lock().unwrap().clone())
    }

    async fn collect(
        &self,
        handle: &u32,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, String> {
        self.calls.lock().unwrap().push((*handle, since));
        self.lines
            .lock()
            .unwrap()
            .get(handle)
            .cloned()
            .unwrap_or_else(|| Ok(Vec::new()))
    }
}

fn subject(handle: u32) -> LogSubject<u32> {
    LogSubject {
        deployment_id: DeploymentId::from_uuid(uuid::Uuid::new_v4()),
        revision_id: RevisionId::from_uuid(uuid::Uuid::new_v4()),
        handle,
    }
}

fn line(text: &str) -> WorkloadLogLine {
    WorkloadLogLine {
        resource: "web-1".to_owned(),
        severity: "Log".to_owned(),
        line: text.to_owned(),
    }
}

fn shipper(
    hub: &FakeHub,
    source: &Arc<ScriptedSource>,
    clock: &ManualClock,
) -> LogShipper<Arc<ScriptedSource>> {
    LogShipper::new(
        Arc::new(hub.clone()),
        Arc::clone(source),
        Arc::new(clock.clone()),
        Duration::from_secs(30),
    )
}

#[tokio::test]
async fn collection_starts_at_now_and_advances_only_on_success() {
    let (hub, source, clock) = (
        FakeHub::new(),
        Arc::new(ScriptedSource::default()),
        ManualClock::new(at_seconds(0)),
    );
    source.subjects.lock().unwrap().push(subject(1));
    let mut shipper = shipper(&hub, &source, &clock);

    shipper.ship_once().await;
    clock.advance(Duration::from_secs(30));
    source
        .lines
        .lock()
        .unwrap()
        .insert(1, Err("engine down".to_owned()));
    shipper.ship_once().await;
    clock.advance(Duration::from_secs(30));
    source.lines.lock().unwrap().insert(1, Ok(Vec::new()));
    shipper.ship_once().await;
    clock.advance(Duration::from_secs(30));
    shipper.ship_once().await;

    let sinces: Vec<_> = source.calls.lock().unwrap().iter().map(|c| c.1).collect();
    assert_eq!(
        sinces,
        vec![at_seconds(0), at_seconds(0), at_seconds(0), at_seconds(60)]
    );
}

#[tokio::test]
async fn lines_become_records_with_their_own_timestamps_in_chunks_of_100() {
    let (hub, source, clock) = (
        FakeHub::new(),
        Arc::new(ScriptedSource::default()),
        ManualClock::new(at_seconds(0)),
    );
    let subject = subject(1);
    source.subjects.lock().unwrap().push(subject.clone());
    let mut lines: Vec<_> = (0..150)
        .map(|i| line(&format!("2025-01-01T00:00:00.5Z line {i}")))
        .collect();
    lines.push(line("   "));
    lines.push(line("no timestamp"));
    source.lines.lock().unwrap().insert(1, Ok(lines));
    shipper(&hub, &source, &clock).ship_once().await;

    let batches = hub.log_batches();
    assert_eq!(
        batches.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![100, 51]
    );
    let first = &batches[0][0];
    assert_eq!(first.deployment_id, subject.deployment_id);
    assert_eq!(first.deployment_revision_id, subject.revision_id);
    assert_eq!(first.resource, "web-1");
    assert_eq!(first.severity, "Log");
    assert_eq!(first.body, "line 0");
    assert_eq!(
        first.timestamp.timestamp_millis(),
        at_seconds(0).timestamp_millis() + 500
    );
    let last = &batches[1][50];
    assert_eq!(
        (last.body.as_str(), last.timestamp),
        ("no timestamp", at_seconds(0))
    );
}

#[tokio::test]
async fn a_failed_upload_still_advances_the_window() {
    let (hub, source, clock) = (
        FakeHub::new(),
        Arc::new(ScriptedSource::default()),
        ManualClock::new(at_seconds(0)),
    );
    source.subjects.lock().unwrap().push(subject(1));
    source
        .lines
        .lock()
        .unwrap()
        .insert(1, Ok(vec![line("hello")]));
    hub.fail_logs(true);
    let mut shipper = shipper(&hub, &source, &clock);
    shipper.ship_once().await;
    clock.advance(Duration::from_secs(30));
    shipper.ship_once().await;
    clock.advance(Duration::from_secs(30));
    shipper.ship_once().await;
    assert_eq!(hub.log_batches().len(), 3);
    assert_eq!(source.calls.lock().unwrap()[2].1, at_seconds(30));
}
