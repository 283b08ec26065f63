//! HS §7 item 66 (HS §6.2): two replicas with per-minute retention crons
//! (5-field cron, so one slot per minute: the test waits for the next minute
//! boundary). For every job, both replicas log their decision for the slot
//! — `retention job started` or, at debug level, `retention slot taken by
//! another replica` — and exactly one of them runs it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use super::postgres::SharedDatabase;
use super::process::Serve;

const JOBS: [&str; 5] = [
    "DeploymentTargetStatus",
    "DeploymentRevisionStatus",
    "DeploymentTargetMetrics",
    "DeploymentLogRecord",
    "DeploymentTargetLogRecord",
];
const STARTED: &str = "retention job started";
const FINISHED: &str = "retention job finished";
const TAKEN: &str = "retention slot taken by another replica";

/// `(job, slot)` → what the replica logged for it (`STARTED`, `FINISHED`, `TAKEN`).
fn decisions(serve: &Serve) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut seen: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for line in serve.log_lines() {
        let message = line["message"].as_str().unwrap_or_default();
        if ![STARTED, FINISHED, TAKEN].contains(&message) {
            continue;
        }
        let field = |name: &str| line[name].as_str().map(str::to_owned);
        if let (Some(job), Some(slot)) = (field("job"), field("slot")) {
            seen.entry((job, slot))
                .or_default()
                .insert(message.to_owned());
        }
    }
    seen
}

/// The first slot of `job` both replicas decided on, once each did.
fn common_slot(
    a: &BTreeMap<(String, String), BTreeSet<String>>,
    b: &BTreeMap<(String, String), BTreeSet<String>>,
    job: &str,
) -> Option<String> {
    a.keys()
        .filter(|(j, _)| j == job)
        .map(|(_, slot)| slot)
        .find(|slot| {
            let key = (job.to_owned(), (*slot).clone());
            let decided = |m: &BTreeMap<_, BTreeSet<String>>| {
                m.get(&key)
                    .is_some_and(|s| s.contains(TAKEN) || s.contains(FINISHED))
            };
            decided(a) && decided(b)
        })
        .cloned()
}

#[test]
fn with_two_replicas_each_retention_slot_runs_on_exactly_one() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let database = runtime.block_on(SharedDatabase::create());
    let dir = tempfile::tempdir().unwrap();
    let mut env = database.env();
    env.extend([
        ("LOG_LEVEL", "info,distr_hub::retention=debug"),
        ("STATUS_ENTRIES_MAX_AGE", "1h"),
        ("METRICS_ENTRIES_MAX_AGE", "1h"),
        ("LOG_RECORD_ENTRIES_MAX_COUNT", "10"),
        ("CLEANUP_DEPLOYMENT_TARGET_STATUS_CRON", "* * * * *"),
        ("CLEANUP_DEPLOYMENT_REVISION_STATUS_CRON", "* * * * *"),
        ("CLEANUP_DEPLOYMENT_TARGET_METRICS_CRON", "* * * * *"),
        ("CLEANUP_DEPLOYMENT_LOG_RECORD_CRON", "* * * * *"),
        ("CLEANUP_DEPLOYMENT_TARGET_LOG_RECORD_CRON", "* * * * *"),
    ]);
    let mut a = Serve::start(dir.path(), &env);
    let mut b = Serve::start(dir.path(), &env);
    a.wait_ready(Duration::from_secs(20));
    b.wait_ready(Duration::from_secs(20));

    // One minute boundary, or two when a replica started just after one.
    let started = Instant::now();
    let slots: Vec<(String, String)> = loop {
        let (seen_a, seen_b) = (decisions(&a), decisions(&b));
        let slots: Vec<_> = JOBS
            .iter()
            .filter_map(|job| Some(((*job).to_owned(), common_slot(&seen_a, &seen_b, job)?)))
            .collect();
        if slots.len() == JOBS.len() {
            break slots;
        }
        assert!(
            started.elapsed() < Duration::from_secs(130),
            "no common slot for every job: {seen_a:?} {seen_b:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let (seen_a, seen_b) = (decisions(&a), decisions(&b));
    for key in &slots {
        let ran = |m: &BTreeMap<(String, String), BTreeSet<String>>| {
            m.get(key).is_some_and(|s| s.contains(STARTED))
        };
        assert!(
            ran(&seen_a) != ran(&seen_b),
            "{key:?} must run on exactly one replica: A {:?}, B {:?}",
            seen_a.get(key),
            seen_b.get(key)
        );
        let winner = if ran(&seen_a) { &seen_a } else { &seen_b };
        assert!(winner[key].contains(FINISHED), "{key:?} ran to its end");
    }
    // And no slot, of any job, ever ran on both.
    for (key, messages) in &seen_a {
        let both =
            messages.contains(STARTED) && seen_b.get(key).is_some_and(|s| s.contains(STARTED));
        assert!(!both, "{key:?} ran on both replicas");
    }
    a.stop();
    b.stop();
}
