use std::time::Duration;

use async_trait::async_trait;
use distr_domain::deployment::StatusType;
use distr_domain::ids::RevisionId;
use distr_domain::protocol::{AgentResource, LogRecordInput, MetricsReport, TargetLogInput};

/// The answer to a desired-state request.
#[derive(Debug, Clone)]
pub enum Resources {
    /// A well-formed 200 body, with the ETag if the Hub sent one.
    Fresh {
        /// The decoded desired state.
        resource: AgentResource,
        /// Strong ETag (only our Hub sends one).
        etag: Option<String>,
    },
    /// 304: the body the caller holds for `If-None-Match` is still current.
    NotModified,
}

/// A failed Hub call. Every variant means "nothing changed": callers MUST NOT
/// uninstall or report on the basis of an error (AP §11h).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    /// Connection, TLS or timeout failure.
    #[error("transport error: {0}")]
    Transport(String),
    /// A non-2xx answer (other than an expected 304), after the one
    /// re-login retry for a 401: `non-ok http status: <code> <text> (<body>)`.
    #[error("non-ok http status: {code} {text} ({body})")]
    Status {
        /// HTTP status code.
        code: u16,
        /// Reason phrase.
        text: String,
        /// Trimmed response body, for logging only.
        body: String,
    },
    /// The body is not a well-formed answer (AP §5.3).
    #[error("malformed response: {0}")]
    Malformed(String),
}

/// The Hub's agent API (AP §3), with login, token refresh 30 s before expiry,
/// one re-login retry after a 401 with the body rebuilt, `User-Agent:
/// DistrAgentClient/<version>` and timeouts handled inside (AP §6.2-6.3).
#[async_trait]
pub trait HubApi: Send + Sync + std::fmt::Debug {
    /// `GET /agent/resources`. MUST send `If-None-Match` and `wait` only when
    /// given. MUST return `Malformed` for a body that is not well-formed and for
    /// a 304 that was not asked for.
    async fn resources(
        &self,
        if_none_match: Option<&str>,
        wait: Option<Duration>,
    ) -> Result<Resources, HubError>;

    /// `GET /agent/manifest`: the install manifest text for self-update.
    async fn manifest(&self) -> Result<String, HubError>;

    /// `POST /agent/status`.
    async fn post_status(
        &self,
        revision: RevisionId,
        status: StatusType,
        message: &str,
    ) -> Result<(), HubError>;

    /// `POST /agent/metrics`.
    async fn post_metrics(&self, metrics: &MetricsReport) -> Result<(), HubError>;

    /// `PUT /agent/logs` with at most 100 records (callers chunk).
    async fn put_logs(&self, records: &[LogRecordInput]) -> Result<(), HubError>;

    /// `PUT /agent/deployment-target-logs`.
    async fn put_agent_logs(&self, records: &[TargetLogInput]) -> Result<(), HubError>;

    /// A currently valid agent JWT (logging in if needed), used as the
    /// Distr-registry password.
    async fn token(&self) -> Result<String, HubError>;
}
