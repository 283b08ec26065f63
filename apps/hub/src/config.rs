//! Hub configuration (HS §5.1). Being written; the fields below are the
//! contract other modules rely on.

use std::net::SocketAddr;
use std::time::Duration;

/// Parsed, validated Hub configuration. `Debug` redacts secrets.
#[derive(Clone)]
pub struct HubConfig {
    /// `LISTEN_ADDR`.
    pub listen_addr: SocketAddr,
    /// `DISTR_HOST`, without trailing slash.
    pub distr_host: String,
    /// `DATABASE_URL`.
    pub database_url: String,
    /// Decoded `JWT_SECRET` (HMAC key of user and agent JWTs).
    pub jwt_secret: Vec<u8>,
    /// `AGENT_INTERVAL`.
    pub agent_interval: Duration,
    /// `AGENT_TOKEN_MAX_VALID_DURATION`.
    pub agent_token_valid: Duration,
    /// `USER_TOKEN_VALID_DURATION`.
    pub user_token_valid: Duration,
    /// `AGENT_DOCKER_IMAGE_REPOSITORY`.
    pub agent_docker_image_repository: String,
    /// `AGENT_KUBERNETES_IMAGE_REPOSITORY`.
    pub agent_kubernetes_image_repository: String,
    /// `AGENT_DOCKER_CONFIG` (JSON text), kubernetes manifests only.
    pub agent_docker_config: Option<String>,
    /// `HUB_AGENT_VERSION`.
    pub hub_agent_version: String,
    /// `HEALTH_STALE_AFTER`.
    pub health_stale_after: Duration,
    /// `RATE_LIMIT_ENABLED`.
    pub rate_limit_enabled: bool,
    /// `SHUTDOWN_DELAY`.
    pub shutdown_delay: Duration,
    /// `SHUTDOWN_GRACE_PERIOD`.
    pub shutdown_grace_period: Duration,
}

impl std::fmt::Debug for HubConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubConfig")
            .field("listen_addr", &self.listen_addr)
            .field("distr_host", &self.distr_host)
            .field("jwt_secret", &"***")
            .finish_non_exhaustive()
    }
}
