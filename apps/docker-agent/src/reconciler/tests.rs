use std::sync::Arc;
use std::time::Duration;

use distr_agent_core::{AgentTimings, DesiredStateSource};
use distr_domain::agent::{ContainerState, ServiceState, record_after_apply};
use distr_domain::deployment::{DockerType, StatusType};
use distr_domain::ids::AgentVersionId;
use distr_domain::protocol::{AgentDeployment, AgentResource};
use distr_testkit::ManualClock;
use distr_testkit::agent_fakes::{
    FakeDockerEngine, FakeDockerRuntime, FakeHub, FakeMetrics, FakeRegistryAuth, FakeSelfUpdater,
    MemoryDockerState, PostedStatus, RuntimeCall, agent_resource, compose_project_of,
    docker_deployment, next_revision,
};
use distr_testkit::builders::at_seconds;

use super::*;
use crate::tick_once;

mod failures;
mod lifecycle;
mod self_update;

const INTERVAL: Duration = Duration::from_millis(100);

struct Harness {
    hub: FakeHub,
    runtime: FakeDockerRuntime,
    engine: FakeDockerEngine,
    registry: FakeRegistryAuth,
    updater: FakeSelfUpdater,
    state: MemoryDockerState,
    source: DesiredStateSource,
    reconciler: DockerReconciler,
    version: AgentVersionId,
}

impl Harness {
    fn new() -> Self {
        Self::with(None, "")
    }

    /// `own_version`: `None` leaves `DISTR_AGENT_VERSION_ID` empty.
    fn with(own_version: Option<AgentVersionId>, registry_host: &str) -> Self {
        let hub = FakeHub::new();
        let (runtime, engine) = (FakeDockerRuntime::new(), FakeDockerEngine::new());
        let (registry, updater) = (FakeRegistryAuth::new(), FakeSelfUpdater::new());
        let state = MemoryDockerState::new();
        let adapters = DockerAdapters {
            hub: Arc::new(hub.clone()),
            runtime: Arc::new(runtime.clone()),
            engine: Arc::new(engine.clone()),
            registry: Arc::new(registry.clone()),
            updater: Arc::new(updater.clone()),
            state: Arc::new(state.clone()),
            metrics: Arc::new(FakeMetrics::new()),
            clock: Arc::new(ManualClock::new(at_seconds(0))),
        };
        let timings = AgentTimings {
            metrics_period: Duration::from_millis(300),
            ..AgentTimings::new(INTERVAL)
        };
        let version =
            own_version.unwrap_or_else(|| AgentVersionId::from_uuid(uuid::Uuid::new_v4()));
        let own = own_version.map(|v| v.to_string()).unwrap_or_default();
        Self {
            source: DesiredStateSource::new(Arc::new(hub.clone()), timings),
            reconciler: DockerReconciler::new(adapters, &own, registry_host, timings),
            hub,
            runtime,
            engine,
            registry,
            updater,
            state,
            version,
        }
    }

    fn desire(&self, deployments: &[AgentDeployment]) -> AgentResource {
        let resource = agent_resource(self.version, deployments.to_vec());
        self.hub.set_resource(resource.clone());
        resource
    }

    async fn tick(&self) -> Option<TickOutcome> {
        tick_once(&self.source, &self.reconciler).await
    }

    /// Leaves a state file as if `deployment` had been applied earlier.
    fn installed(&self, deployment: &AgentDeployment) {
        self.state.insert(record_after_apply(deployment).unwrap());
    }

    fn running_without_healthcheck(&self, deployment: &AgentDeployment) {
        let project = compose_project_of(deployment.id);
        self.engine.set_containers(
            &project,
            Ok(vec![ContainerState {
                name: format!("{project}-web-1"),
                state: "running".to_owned(),
                health: String::new(),
                status: "Up 1 second".to_owned(),
                exit_code: 0,
            }]),
        );
    }
}

fn status(deployment: &AgentDeployment, status: StatusType, message: &str) -> PostedStatus {
    PostedStatus {
        revision: deployment.revision_id,
        status,
        message: message.to_owned(),
    }
}
