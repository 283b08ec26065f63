//! Workload logs of the docker deployments (AP §7.8).

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_agent_core::{LogSource, LogSubject};
use distr_domain::agent::{DockerRecord, WorkloadLogLine};
use distr_ports::agent::{DockerEngine, DockerStateStore};

/// The state records with `logsEnabled`, collected through the engine.
#[derive(Debug, Clone)]
pub struct DockerLogSource {
    state: Arc<dyn DockerStateStore>,
    engine: Arc<dyn DockerEngine>,
}

impl DockerLogSource {
    /// A source over the agent's state and engine.
    #[must_use]
    pub fn new(state: Arc<dyn DockerStateStore>, engine: Arc<dyn DockerEngine>) -> Self {
        Self { state, engine }
    }
}

#[async_trait]
impl LogSource for DockerLogSource {
    type Handle = DockerRecord;

    async fn subjects(&self) -> Result<Vec<LogSubject<DockerRecord>>, String> {
        let records = self.state.list().await.map_err(|e| e.to_string())?;
        Ok(records
            .into_iter()
            .filter(|record| record.logs_enabled)
            .map(|record| LogSubject {
                deployment_id: record.id,
                revision_id: record.revision_id,
                handle: record,
            })
            .collect())
    }

    async fn collect(
        &self,
        handle: &DockerRecord,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, String> {
        self.engine
            .logs_since(handle, since)
            .await
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use distr_agent_core::LogShipper;
    use distr_domain::deployment::DockerType;
    use distr_testkit::ManualClock;
    use distr_testkit::agent_fakes::{
        FakeDockerEngine, FakeHub, MemoryDockerState, docker_deployment,
    };
    use distr_testkit::builders::at_seconds;

    use super::*;

    fn record(logs_enabled: bool) -> DockerRecord {
        let mut record =
            distr_domain::agent::record_after_apply(&docker_deployment(DockerType::Compose))
                .unwrap();
        record.logs_enabled = logs_enabled;
        record
    }

    #[tokio::test]
    async fn logs_ship_only_for_records_with_logs_enabled() {
        let (hub, engine, state) = (
            FakeHub::new(),
            FakeDockerEngine::new(),
            MemoryDockerState::new(),
        );
        let (on, off) = (record(true), record(false));
        state.insert(on.clone());
        state.insert(off.clone());
        for r in [&on, &off] {
            engine.set_logs(
                r.id,
                Ok(vec![WorkloadLogLine {
                    resource: "web-1".to_owned(),
                    severity: "Log".to_owned(),
                    line: "2025-01-01T00:00:01Z hello".to_owned(),
                }]),
            );
        }
        let source = DockerLogSource::new(Arc::new(state), Arc::new(engine.clone()));
        let mut shipper = LogShipper::new(
            Arc::new(hub.clone()),
            source,
            Arc::new(ManualClock::new(at_seconds(0))),
            Duration::from_secs(30),
        );
        shipper.ship_once().await;
        let batches = hub.log_batches();
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0].len(), 1);
        assert_eq!(batches[0][0].deployment_id, on.id);
        assert_eq!(batches[0][0].deployment_revision_id, on.revision_id);
        assert_eq!(batches[0][0].resource, "web-1");
        assert_eq!(engine.log_calls(), vec![(on.id, at_seconds(0))]);
    }
}
