//! In-process schedules of the retention jobs from `CLEANUP_*_CRON` (HS §5.1).

use std::str::FromStr as _;
use std::time::Duration;

use croner::Cron;
use distr_domain::retention::RetentionJob;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{Outcome, Runner};

/// Parses a 5-field cron schedule.
///
/// # Errors
/// Why the schedule is refused (never repeating it).
pub fn parse_cron(raw: &str) -> Result<Cron, String> {
    if raw.split_whitespace().count() != 5 {
        return Err("must be a 5-field cron schedule".to_owned());
    }
    Cron::from_str(raw.trim()).map_err(|_| "not a valid cron schedule".to_owned())
}

/// The jobs that run on a schedule, and logs one warning per disabled job.
#[must_use]
pub fn enabled_jobs(runner: &Runner) -> Vec<(RetentionJob, Cron, Option<Duration>)> {
    let mut jobs = Vec::new();
    for job in RetentionJob::ALL {
        let Some((raw, timeout)) = runner.config.cleanup.get(job.env_key()) else {
            tracing::warn!(job = job.name(), variable = %format!("CLEANUP_{}_CRON", job.env_key()), "retention job disabled: its cron schedule is unset");
            continue;
        };
        if runner.rule(job).is_none() {
            tracing::warn!(
                job = job.name(),
                variable = job.setting().variable(),
                "retention job disabled: its retention setting is unset"
            );
            continue;
        }
        match parse_cron(raw) {
            Ok(cron) => jobs.push((job, cron, *timeout)),
            // Configuration parsing validated it; unreachable in practice.
            Err(reason) => tracing::warn!(job = job.name(), reason, "retention job disabled"),
        }
    }
    jobs
}

/// Starts one task per enabled job. Each sleeps until its next fire time,
/// runs under the job's lease, and ends once `shutdown` turns true (a run
/// in progress stops at its next batch boundary).
#[must_use]
pub fn spawn(runner: &Runner, shutdown: &watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    enabled_jobs(runner)
        .into_iter()
        .map(|(job, cron, timeout)| {
            let runner = runner.clone();
            let mut shutdown = shutdown.clone();
            tokio::spawn(async move {
                loop {
                    let now = runner.clock.now();
                    let Ok(slot) = cron.find_next_occurrence(&now, false) else {
                        tracing::warn!(job = job.name(), "cron schedule has no next run");
                        return;
                    };
                    let wait = (slot - now).to_std().unwrap_or_default();
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        _ = shutdown.wait_for(|stop| *stop) => return,
                    }
                    match runner.run(job, slot, timeout, &shutdown).await {
                        Ok(report) if report.outcome == Outcome::Busy => {
                            tracing::debug!(job = job.name(), slot = %slot, "retention slot taken by another replica");
                        }
                        Ok(_) => {}
                        Err(err) => {
                            tracing::error!(job = job.name(), error = %err, "retention job failed");
                        }
                    }
                    if *shutdown.borrow() {
                        return;
                    }
                }
            })
        })
        .collect()
}
