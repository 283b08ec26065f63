//! A Hub client that can be replaced while the agent runs (AP §8.1: when
//! the target credentials or an endpoint change, the agent replaces its
//! client configuration and drops its cached token).

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use distr_domain::deployment::StatusType;
use distr_domain::ids::RevisionId;
use distr_domain::protocol::{LogRecordInput, MetricsReport, TargetLogInput};
use distr_ports::agent::{HubApi, HubError, Resources};

/// [`HubApi`] delegating to the current client. Every piece of the agent
/// holds this one value; [`SwappableHub::replace`] switches all of them to a
/// new client (with no token) at once. A call already under way finishes
/// on the client it started with.
#[derive(Debug)]
pub struct SwappableHub {
    current: RwLock<Arc<dyn HubApi>>,
}

impl SwappableHub {
    /// Starts with `client`.
    #[must_use]
    pub fn new(client: Arc<dyn HubApi>) -> Self {
        Self {
            current: RwLock::new(client),
        }
    }

    /// Uses `client` for every later call.
    pub fn replace(&self, client: Arc<dyn HubApi>) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = client;
    }

    fn current(&self) -> Arc<dyn HubApi> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }
}

#[async_trait]
impl HubApi for SwappableHub {
    async fn resources(
        &self,
        if_none_match: Option<&str>,
        wait: Option<Duration>,
    ) -> Result<Resources, HubError> {
        self.current().resources(if_none_match, wait).await
    }

    async fn manifest(&self) -> Result<String, HubError> {
        self.current().manifest().await
    }

    async fn post_status(
        &self,
        revision: RevisionId,
        status: StatusType,
        message: &str,
    ) -> Result<(), HubError> {
        self.current().post_status(revision, status, message).await
    }

    async fn post_metrics(&self, metrics: &MetricsReport) -> Result<(), HubError> {
        self.current().post_metrics(metrics).await
    }

    async fn put_logs(&self, records: &[LogRecordInput]) -> Result<(), HubError> {
        self.current().put_logs(records).await
    }

    async fn put_agent_logs(&self, records: &[TargetLogInput]) -> Result<(), HubError> {
        self.current().put_agent_logs(records).await
    }

    async fn token(&self) -> Result<String, HubError> {
        self.current().token().await
    }
}

#[cfg(test)]
mod tests {
    use distr_testkit::agent_fakes::FakeHub;

    use super::*;

    #[tokio::test]
    async fn calls_go_to_the_current_client() {
        let (first, second) = (FakeHub::new(), FakeHub::new());
        let hub = SwappableHub::new(Arc::new(first.clone()));
        let revision = RevisionId::from_uuid(uuid::Uuid::new_v4());
        hub.post_status(revision, StatusType::Running, "a")
            .await
            .unwrap();
        hub.replace(Arc::new(second.clone()));
        hub.post_status(revision, StatusType::Running, "b")
            .await
            .unwrap();
        hub.token().await.unwrap();
        assert_eq!(first.statuses().len(), 1);
        assert_eq!(second.statuses().len(), 1);
        assert_eq!(second.statuses()[0].message, "b");
        assert_eq!((first.token_requests(), second.token_requests()), (0, 1));
    }
}
