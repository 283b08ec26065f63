use std::sync::Arc;
use std::time::Duration;

use distr_agent_core::{AgentTimings, DesiredStateSource};
use distr_domain::agent::{HelmRecord, record_after_operation};
use distr_domain::deployment::StatusType;
use distr_domain::ids::AgentVersionId;
use distr_domain::protocol::{AgentDeployment, AgentResource};
use distr_ports::agent::HubError;
use distr_testkit::ManualClock;
use distr_testkit::agent_fakes::{
    FakeHelm, FakeHub, FakeKube, FakeMetrics, HelmCall, PostedStatus, agent_resource,
    helm_deployment, next_revision,
};
use distr_testkit::builders::at_seconds;
use serde_json::json;

use super::*;
use crate::tick_once;

mod answers;
mod failures;
mod lifecycle;

const INTERVAL: Duration = Duration::from_millis(100);
const NS: &str = "customer-apps";

struct Harness {
    hub: FakeHub,
    helm: FakeHelm,
    kube: FakeKube,
    source: DesiredStateSource,
    reconciler: HelmReconciler,
    version: AgentVersionId,
}

impl Harness {
    fn new() -> Self {
        Self::with(None, "")
    }

    /// `own_version`: `None` leaves `DISTR_AGENT_VERSION_ID` empty.
    fn with(own_version: Option<AgentVersionId>, registry_host: &str) -> Self {
        let (hub, helm, kube) = (FakeHub::new(), FakeHelm::new(), FakeKube::new());
        let adapters = HelmAdapters {
            hub: Arc::new(hub.clone()),
            helm: Arc::new(helm.clone()),
            state: Arc::new(kube.clone()),
            pull_secrets: Arc::new(kube.clone()),
            health: Arc::new(kube.clone()),
            restarter: Arc::new(kube.clone()),
            logs: Arc::new(kube.clone()),
            applier: Arc::new(kube.clone()),
            metrics: Arc::new(FakeMetrics::new()),
            clock: Arc::new(ManualClock::new(at_seconds(1_000))),
        };
        let timings = AgentTimings::new(INTERVAL);
        let version =
            own_version.unwrap_or_else(|| AgentVersionId::from_uuid(uuid::Uuid::new_v4()));
        let own = own_version.map(|v| v.to_string()).unwrap_or_default();
        Self {
            source: DesiredStateSource::new(Arc::new(hub.clone()), timings),
            reconciler: HelmReconciler::new(adapters, &own, registry_host, timings),
            hub,
            helm,
            kube,
            version,
        }
    }

    fn desire(&self, deployments: &[AgentDeployment]) -> AgentResource {
        let mut resource = agent_resource(self.version, deployments.to_vec());
        resource.namespace = Some(NS.to_owned());
        self.hub.set_resource(resource.clone());
        resource
    }

    async fn tick(&self) -> Option<TickOutcome> {
        tokio::time::sleep(INTERVAL).await;
        tick_once(&self.source, &self.reconciler).await
    }

    /// Ticks and returns the statuses posted during that tick.
    async fn tick_statuses(&self) -> Vec<PostedStatus> {
        self.hub.clear_statuses();
        self.tick().await;
        self.hub.statuses()
    }

    /// As if `deployment` had been installed by an earlier agent run.
    fn installed(&self, deployment: &AgentDeployment, helm_revision: i64) -> HelmRecord {
        let record = record_after_operation(deployment, helm_revision);
        self.kube.insert_record(NS, record.clone());
        self.helm
            .put_release(NS, &deployment.release_name, helm_revision);
        record
    }
}

fn status(deployment: &AgentDeployment, status: StatusType, message: &str) -> PostedStatus {
    PostedStatus {
        revision: deployment.revision_id,
        status,
        message: message.to_owned(),
    }
}

fn upgrades(helm: &FakeHelm) -> usize {
    helm.calls()
        .iter()
        .filter(|c| matches!(c, HelmCall::Upgrade(..)))
        .count()
}
