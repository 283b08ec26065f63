//! `progressing` reports while a long operation runs (AP §7.1 step 5.3, §10).

use std::sync::Arc;
use std::time::Duration;

use distr_domain::deployment::StatusType;
use distr_domain::ids::RevisionId;
use distr_ports::agent::HubApi;
use tokio::time::{Instant, interval_at};

use crate::AbortOnDrop;

/// Posts `progressing` with a fixed message every interval while an
/// operation runs; the first report comes one interval after the start.
#[derive(Debug, Clone)]
pub struct ProgressReporter {
    hub: Arc<dyn HubApi>,
    interval: Duration,
}

impl ProgressReporter {
    /// A reporter posting every `interval` (`DISTR_INTERVAL`).
    #[must_use]
    pub fn new(hub: Arc<dyn HubApi>, interval: Duration) -> Self {
        Self { hub, interval }
    }

    /// Runs `operation` to completion while reporting on `revision`.
    /// Reports run in their own task, so a slow Hub never stalls the
    /// operation; they stop when it ends or is cancelled.
    pub async fn while_running<F: Future>(
        &self,
        revision: RevisionId,
        message: &str,
        operation: F,
    ) -> F::Output {
        let hub = Arc::clone(&self.hub);
        let period = self.interval;
        let message = message.to_owned();
        let _reporter = AbortOnDrop::spawn(async move {
            let mut ticker = interval_at(Instant::now() + period, period);
            loop {
                ticker.tick().await;
                if let Err(err) = hub
                    .post_status(revision, StatusType::Progressing, &message)
                    .await
                {
                    tracing::warn!(revision.id = %revision, error = %err, "cannot post progress");
                }
            }
        });
        operation.await
    }
}

#[cfg(test)]
mod tests {
    use distr_testkit::agent_fakes::FakeHub;
    use tokio::time::sleep;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn progress_is_posted_every_interval_while_the_operation_runs() {
        let hub = FakeHub::new();
        let reporter = ProgressReporter::new(Arc::new(hub.clone()), Duration::from_millis(100));
        let revision = RevisionId::from_uuid(uuid::Uuid::new_v4());
        let out = reporter
            .while_running(revision, "applying docker compose\u{2026}", async {
                sleep(Duration::from_millis(350)).await;
                7
            })
            .await;
        assert_eq!(out, 7);
        let statuses = hub.statuses();
        assert_eq!(statuses.len(), 3);
        assert!(statuses.iter().all(|s| s.revision == revision
            && s.status == StatusType::Progressing
            && s.message == "applying docker compose\u{2026}"));
        sleep(Duration::from_millis(500)).await;
        assert_eq!(hub.statuses().len(), 3, "reports stop with the operation");
    }

    #[tokio::test(start_paused = true)]
    async fn a_quick_operation_posts_no_progress() {
        let hub = FakeHub::new();
        let reporter = ProgressReporter::new(Arc::new(hub.clone()), Duration::from_millis(100));
        let revision = RevisionId::from_uuid(uuid::Uuid::new_v4());
        reporter
            .while_running(revision, "x", sleep(Duration::from_millis(50)))
            .await;
        sleep(Duration::from_millis(500)).await;
        assert!(hub.statuses().is_empty());
    }
}
