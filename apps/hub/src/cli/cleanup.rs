//! `cleanup <job|all> [--timeout D]` (HS §5.2): retention once, under the
//! same leases as the scheduled jobs, printing one report per job.

use std::sync::Arc;

use distr_domain::retention::RetentionJob;

use super::{CleanupArgs, CliError, open_migrated};
use crate::clock::SystemClock;
use crate::config::HubConfig;
use crate::retention::{NoObserver, Runner};

/// Runs the selected jobs and prints `{"jobs": [{job, outcome, deleted}]}`.
///
/// # Errors
/// `Usage` for a bad `--timeout`, `Runtime` for database failures.
pub(super) async fn run(config: HubConfig, args: CleanupArgs) -> Result<(), CliError> {
    let timeout = args
        .timeout
        .as_deref()
        .map(crate::config::parse_duration)
        .transpose()
        .map_err(|reason| CliError::Usage(format!("--timeout: {reason}")))?;
    let jobs: Vec<RetentionJob> = match RetentionJob::from_name(&args.job) {
        Some(job) => vec![job],
        None => RetentionJob::ALL.to_vec(),
    };
    let store = open_migrated(&config).await?;
    let runner = Runner::new(
        Arc::new(store),
        Arc::new(SystemClock::new()),
        Arc::new(config),
        Arc::new(NoObserver),
    );
    let running = tokio::sync::watch::channel(false).1;
    let mut reports = Vec::new();
    for job in jobs {
        let configured = runner.config.cleanup.get(job.env_key()).and_then(|c| c.1);
        let slot = runner.clock.now();
        let report = runner
            .run(job, slot, timeout.or(configured), &running)
            .await
            .map_err(CliError::runtime)?;
        reports.push(report);
    }
    println!("{}", serde_json::json!({ "jobs": reports }));
    Ok(())
}
