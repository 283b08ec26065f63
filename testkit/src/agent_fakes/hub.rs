//! A scriptable Hub (`HubApi`) that behaves like ours: optional ETags, 304s
//! and long-poll holds, plus queued one-off answers (errors, 304s).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use distr_domain::deployment::StatusType;
use distr_domain::ids::RevisionId;
use distr_domain::protocol::{AgentResource, LogRecordInput, MetricsReport, TargetLogInput};
use distr_ports::agent::{HubApi, HubError, Resources};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::lock;

/// One `GET /agent/resources` as the fake saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcesRequest {
    /// The `If-None-Match` sent.
    pub if_none_match: Option<String>,
    /// The `wait` sent.
    pub wait: Option<Duration>,
    /// When the request started (tokio time, so paused tests can compare).
    pub at: Instant,
}

/// One `POST /agent/status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostedStatus {
    /// The revision reported on.
    pub revision: RevisionId,
    /// The status type.
    pub status: StatusType,
    /// The message.
    pub message: String,
}

#[derive(Debug, Default)]
struct HubState {
    resource: Option<AgentResource>,
    generation: u64,
    etags: bool,
    queued: VecDeque<Result<Resources, HubError>>,
    requests: Vec<ResourcesRequest>,
    statuses: Vec<PostedStatus>,
    metrics: Vec<MetricsReport>,
    logs: Vec<Vec<LogRecordInput>>,
    agent_logs: Vec<Vec<TargetLogInput>>,
    fail_status: bool,
    fail_logs: bool,
    fail_agent_logs: bool,
    manifest: Option<Result<String, HubError>>,
    token_requests: usize,
}

impl HubState {
    fn etag(&self) -> Option<String> {
        self.etags.then(|| format!("\"gen-{}\"", self.generation))
    }

    fn fresh(&self) -> Result<Resources, HubError> {
        self.resource.clone().map_or_else(
            || {
                Err(HubError::Transport(
                    "fake hub has no desired state".to_owned(),
                ))
            },
            |resource| {
                Ok(Resources::Fresh {
                    resource,
                    etag: self.etag(),
                })
            },
        )
    }
}

/// A fake Hub. Without a desired state set, resources requests fail with a
/// transport error.
#[derive(Debug, Clone, Default)]
pub struct FakeHub {
    state: Arc<Mutex<HubState>>,
    changed: Arc<Notify>,
}

impl FakeHub {
    /// A Hub with no desired state, no ETags.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the desired state answered with 200 (wakes long-polls).
    pub fn set_resource(&self, resource: AgentResource) {
        {
            let mut state = lock(&self.state);
            state.resource = Some(resource);
            state.generation += 1;
        }
        self.changed.notify_waiters();
    }

    /// Turns our Hub's ETag extension on (off is a Distr 2.7 Hub).
    pub fn enable_etags(&self) {
        lock(&self.state).etags = true;
    }

    /// Queues a one-off answer used by the next resources request.
    pub fn push_resources_answer(&self, answer: Result<Resources, HubError>) {
        lock(&self.state).queued.push_back(answer);
    }

    /// Makes status posts fail (they are still recorded).
    pub fn fail_status(&self, fail: bool) {
        lock(&self.state).fail_status = fail;
    }

    /// Makes workload log uploads fail (they are still recorded).
    pub fn fail_logs(&self, fail: bool) {
        lock(&self.state).fail_logs = fail;
    }

    /// Makes self-log uploads fail (they are still recorded).
    pub fn fail_agent_logs(&self, fail: bool) {
        lock(&self.state).fail_agent_logs = fail;
    }

    /// The answer of `GET /agent/manifest`.
    pub fn set_manifest(&self, manifest: Result<String, HubError>) {
        lock(&self.state).manifest = Some(manifest);
    }

    /// Every resources request so far.
    #[must_use]
    pub fn resources_requests(&self) -> Vec<ResourcesRequest> {
        lock(&self.state).requests.clone()
    }

    /// Every status post so far.
    #[must_use]
    pub fn statuses(&self) -> Vec<PostedStatus> {
        lock(&self.state).statuses.clone()
    }

    /// Every metrics post so far.
    #[must_use]
    pub fn metrics(&self) -> Vec<MetricsReport> {
        lock(&self.state).metrics.clone()
    }

    /// Every workload log upload so far.
    #[must_use]
    pub fn log_batches(&self) -> Vec<Vec<LogRecordInput>> {
        lock(&self.state).logs.clone()
    }

    /// Every self-log upload so far, failed ones included.
    #[must_use]
    pub fn agent_log_batches(&self) -> Vec<Vec<TargetLogInput>> {
        lock(&self.state).agent_logs.clone()
    }

    /// How often a token was asked for.
    #[must_use]
    pub fn token_requests(&self) -> usize {
        lock(&self.state).token_requests
    }

    /// Forgets the recorded statuses (e.g. between phases of a test).
    pub fn clear_statuses(&self) {
        lock(&self.state).statuses.clear();
    }
}

fn refused() -> HubError {
    HubError::Status {
        code: 500,
        text: "Internal Server Error".to_owned(),
        body: "scripted failure".to_owned(),
    }
}

#[async_trait]
impl HubApi for FakeHub {
    async fn resources(
        &self,
        if_none_match: Option<&str>,
        wait: Option<Duration>,
    ) -> Result<Resources, HubError> {
        let changed = self.changed.notified();
        tokio::pin!(changed);
        changed.as_mut().enable();
        let hold = {
            let mut state = lock(&self.state);
            state.requests.push(ResourcesRequest {
                if_none_match: if_none_match.map(str::to_owned),
                wait,
                at: Instant::now(),
            });
            if let Some(answer) = state.queued.pop_front() {
                return answer;
            }
            let current = state.etag();
            if current.is_none() || current.as_deref() != if_none_match {
                return state.fresh();
            }
            match wait {
                Some(wait) if !wait.is_zero() => wait,
                _ => return Ok(Resources::NotModified),
            }
        };
        tokio::select! {
            () = &mut changed => {}
            () = tokio::time::sleep(hold) => {}
        }
        let state = lock(&self.state);
        if state.etag().as_deref() == if_none_match {
            Ok(Resources::NotModified)
        } else {
            state.fresh()
        }
    }

    async fn manifest(&self) -> Result<String, HubError> {
        lock(&self.state)
            .manifest
            .clone()
            .unwrap_or_else(|| Err(refused()))
    }

    async fn post_status(
        &self,
        revision: RevisionId,
        status: StatusType,
        message: &str,
    ) -> Result<(), HubError> {
        let mut state = lock(&self.state);
        state.statuses.push(PostedStatus {
            revision,
            status,
            message: message.to_owned(),
        });
        if state.fail_status {
            Err(refused())
        } else {
            Ok(())
        }
    }

    async fn post_metrics(&self, metrics: &MetricsReport) -> Result<(), HubError> {
        lock(&self.state).metrics.push(*metrics);
        Ok(())
    }

    async fn put_logs(&self, records: &[LogRecordInput]) -> Result<(), HubError> {
        let mut state = lock(&self.state);
        state.logs.push(records.to_vec());
        if state.fail_logs {
            Err(refused())
        } else {
            Ok(())
        }
    }

    async fn put_agent_logs(&self, records: &[TargetLogInput]) -> Result<(), HubError> {
        let mut state = lock(&self.state);
        state.agent_logs.push(records.to_vec());
        if state.fail_agent_logs {
            Err(refused())
        } else {
            Ok(())
        }
    }

    async fn token(&self) -> Result<String, HubError> {
        lock(&self.state).token_requests += 1;
        Ok("fake-agent-jwt".to_owned())
    }
}
