//! Hub configuration (HS §5.1), read through [`ConfigSource`] so tests never
//! mutate the process environment. Invalid values name the variable, never
//! the value; the CLI turns them into exit code 2.

mod parse;
pub mod secrets;
mod source;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use secrets::SecretSettings;
pub use source::{ConfigSource, Layered, MapSource, ProcessEnv, read_dotenv};

/// The agent release this build ships with: the default `HUB_AGENT_VERSION`.
/// Our agents are released under this name (semver ≥ 2.7.0 as AP §4.4 asks,
/// distinct from upstream's 2.7.x so both can be registered side by side).
/// It is the workspace version, which the agents also report in `User-Agent`.
pub const SHIPPED_AGENT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Default `AGENT_DOCKER_IMAGE_REPOSITORY`: this project's published image.
pub const DEFAULT_DOCKER_AGENT_IMAGE: &str = "ghcr.io/distr-rs/docker-agent";
/// Default `AGENT_KUBERNETES_IMAGE_REPOSITORY`: this project's published image.
pub const DEFAULT_KUBERNETES_AGENT_IMAGE: &str = "ghcr.io/distr-rs/kubernetes-agent";

/// A configuration variable is invalid or missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {variable}: {reason}")]
pub struct ConfigError {
    /// The variable's name.
    pub variable: String,
    /// What is wrong, never containing the value.
    pub reason: String,
}

impl ConfigError {
    fn new(variable: &str, reason: impl Into<String>) -> Self {
        Self {
            variable: variable.to_owned(),
            reason: reason.into(),
        }
    }
}

/// `LOG_FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// JSON lines.
    Json,
    /// Human-readable text.
    Text,
}

/// Parsed, validated Hub configuration. `Debug` redacts secrets.
#[derive(Clone)]
pub struct HubConfig {
    /// `LISTEN_ADDR`.
    pub listen_addr: SocketAddr,
    /// `DISTR_HOST`, without trailing slash.
    pub distr_host: String,
    /// `DATABASE_URL`.
    pub database_url: String,
    /// `DATABASE_MAX_CONNS`.
    pub database_max_conns: u32,
    /// Decoded `JWT_SECRET` (HMAC key of user and agent JWTs); resolved at start
    /// when generated (SQLite), see [`secrets`].
    pub jwt_secret: Vec<u8>,
    /// `AGENT_INTERVAL`.
    pub agent_interval: Duration,
    /// `AGENT_TOKEN_MAX_VALID_DURATION`.
    pub agent_token_valid: Duration,
    /// `USER_TOKEN_VALID_DURATION`.
    pub user_token_valid: Duration,
    /// `INVITE_TOKEN_VALID_DURATION`.
    pub invite_token_valid: Duration,
    /// `RESET_TOKEN_VALID_DURATION`.
    pub reset_token_valid: Duration,
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
    /// `EXPORT_MAX_ROWS`.
    pub export_max_rows: u64,
    /// `TRUSTED_PROXIES`, as given (CIDRs).
    pub trusted_proxies: Vec<String>,
    /// `METRICS_LISTEN_ADDR`.
    pub metrics_listen_addr: Option<SocketAddr>,
    /// `METRICS_BEARER_TOKEN`.
    pub metrics_bearer_token: Option<String>,
    /// `LOG_FORMAT`; `None` means JSON, or text on a terminal.
    pub log_format: Option<LogFormat>,
    /// `LOG_LEVEL` (an `EnvFilter` directive).
    pub log_level: String,
    /// `STATUS_ENTRIES_MAX_AGE`.
    pub status_entries_max_age: Option<Duration>,
    /// `METRICS_ENTRIES_MAX_AGE`.
    pub metrics_entries_max_age: Option<Duration>,
    /// `LOG_RECORD_ENTRIES_MAX_COUNT`.
    pub log_record_entries_max_count: Option<u64>,
    /// `CLEANUP_<JOB>_CRON` and `CLEANUP_<JOB>_TIMEOUT` by job name.
    pub cleanup: BTreeMap<&'static str, (String, Option<Duration>)>,
}

impl std::fmt::Debug for HubConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubConfig")
            .field("listen_addr", &self.listen_addr)
            .field("distr_host", &self.distr_host)
            .field(
                "database_kind",
                &if self.is_postgres() {
                    "postgres"
                } else {
                    "sqlite"
                },
            )
            .field("jwt_secret", &"***")
            .field(
                "metrics_bearer_token",
                &self.metrics_bearer_token.as_ref().map(|_| "***"),
            )
            .field("hub_agent_version", &self.hub_agent_version)
            .finish_non_exhaustive()
    }
}

/// Retention jobs with their cron variables (HS §5.1).
pub const CLEANUP_JOBS: [&str; 5] = [
    "DEPLOYMENT_TARGET_STATUS",
    "DEPLOYMENT_REVISION_STATUS",
    "DEPLOYMENT_TARGET_METRICS",
    "DEPLOYMENT_LOG_RECORD",
    "DEPLOYMENT_TARGET_LOG_RECORD",
];

impl HubConfig {
    /// Every default of HS §5.1 with the given JWT key; for tests and tools.
    #[must_use]
    pub fn with_defaults(jwt_secret: Vec<u8>) -> Self {
        Self {
            listen_addr: SocketAddr::from(([0, 0, 0, 0], 8080)),
            distr_host: "http://localhost:8080".to_owned(),
            database_url: "sqlite://distr.db".to_owned(),
            database_max_conns: 10,
            jwt_secret,
            agent_interval: Duration::from_secs(5),
            agent_token_valid: Duration::from_secs(24 * 3600),
            user_token_valid: Duration::from_secs(24 * 3600),
            invite_token_valid: Duration::from_secs(72 * 3600),
            reset_token_valid: Duration::from_secs(3600),
            agent_docker_image_repository: DEFAULT_DOCKER_AGENT_IMAGE.to_owned(),
            agent_kubernetes_image_repository: DEFAULT_KUBERNETES_AGENT_IMAGE.to_owned(),
            agent_docker_config: None,
            hub_agent_version: SHIPPED_AGENT_VERSION.to_owned(),
            health_stale_after: Duration::from_secs(60),
            rate_limit_enabled: true,
            shutdown_delay: Duration::ZERO,
            shutdown_grace_period: Duration::from_secs(30),
            export_max_rows: 10_000,
            trusted_proxies: Vec::new(),
            metrics_listen_addr: None,
            metrics_bearer_token: None,
            log_format: None,
            log_level: "info".to_owned(),
            status_entries_max_age: None,
            metrics_entries_max_age: None,
            log_record_entries_max_count: None,
            cleanup: BTreeMap::new(),
        }
    }

    /// Whether `DATABASE_URL` points at Postgres.
    #[must_use]
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://")
    }

    /// The SQLite database file, when the database is SQLite.
    #[must_use]
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self.database_url.strip_prefix("sqlite:")?;
        let path = rest.split('?').next().unwrap_or_default();
        let path = path.strip_prefix("//").unwrap_or(path);
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }
}

/// Parses a duration in the syntax of HS §5.1 (humantime or Go).
///
/// # Errors
/// Why the value is refused, without repeating it.
pub fn parse_duration(raw: &str) -> Result<Duration, String> {
    parse::duration(raw)
}

/// Checks an agent version name: `snapshot` or semver ≥ 1.12.0 (AP §4.4).
///
/// # Errors
/// Why the name is refused.
pub fn validate_agent_version(name: &str) -> Result<String, String> {
    parse::agent_version(name)
}

/// Configuration plus the secret inputs resolved later against the database.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// Everything but generated secrets (`jwt_secret` is empty when generated).
    pub hub: HubConfig,
    /// `JWT_SECRET` and `SECRETS_ENCRYPTION_KEY*` as configured.
    pub secrets: SecretSettings,
}

/// Reads the configuration from `env`, layering the `DISTR_ENV` dotenv file
/// below it (real variables win).
///
/// # Errors
/// `ConfigError` naming the first invalid variable.
pub fn load(env: &dyn ConfigSource) -> Result<LoadedConfig, ConfigError> {
    match env.get("DISTR_ENV").filter(|p| !p.trim().is_empty()) {
        Some(path) => {
            let file = read_dotenv(std::path::Path::new(path.trim()))
                .map_err(|reason| ConfigError::new("DISTR_ENV", reason))?;
            parse(&Layered {
                primary: EnvRef(env),
                fallback: file,
            })
        }
        None => parse(env),
    }
}

struct EnvRef<'a>(&'a dyn ConfigSource);

impl ConfigSource for EnvRef<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name)
    }
}

/// Reads one optional variable through `parser`; empty means unset.
fn opt<T>(
    src: &dyn ConfigSource,
    name: &str,
    parser: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, ConfigError> {
    match src.get(name) {
        Some(raw) if !raw.trim().is_empty() => parser(&raw)
            .map(Some)
            .map_err(|reason| ConfigError::new(name, reason)),
        _ => Ok(None),
    }
}

/// Parses every variable of HS §5.1 (without the dotenv layer).
///
/// # Errors
/// `ConfigError` naming the first invalid variable.
pub fn parse(src: &dyn ConfigSource) -> Result<LoadedConfig, ConfigError> {
    let mut c = HubConfig::with_defaults(Vec::new());
    if let Some(v) = opt(src, "LISTEN_ADDR", parse::socket_addr)? {
        c.listen_addr = v;
    }
    if let Some(v) = opt(src, "DISTR_HOST", parse::base_url)? {
        c.distr_host = v;
    }
    if let Some(v) = opt(src, "DATABASE_URL", |raw| {
        let raw = raw.trim();
        let known = ["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|p| raw.starts_with(p));
        if known {
            Ok(raw.to_owned())
        } else {
            Err("must start with sqlite:// or postgres://".to_owned())
        }
    })? {
        c.database_url = v;
    }
    if let Some(v) = opt(src, "DATABASE_MAX_CONNS", parse::positive)? {
        c.database_max_conns =
            u32::try_from(v).map_err(|_| ConfigError::new("DATABASE_MAX_CONNS", "too large"))?;
    }
    let durations: [(&str, &mut Duration); 8] = [
        ("AGENT_INTERVAL", &mut c.agent_interval),
        ("AGENT_TOKEN_MAX_VALID_DURATION", &mut c.agent_token_valid),
        ("USER_TOKEN_VALID_DURATION", &mut c.user_token_valid),
        ("INVITE_TOKEN_VALID_DURATION", &mut c.invite_token_valid),
        ("RESET_TOKEN_VALID_DURATION", &mut c.reset_token_valid),
        ("HEALTH_STALE_AFTER", &mut c.health_stale_after),
        ("SHUTDOWN_DELAY", &mut c.shutdown_delay),
        ("SHUTDOWN_GRACE_PERIOD", &mut c.shutdown_grace_period),
    ];
    for (name, slot) in durations {
        if let Some(v) = opt(src, name, parse::duration)? {
            *slot = v;
        }
    }
    if c.agent_interval.is_zero() {
        return Err(ConfigError::new(
            "AGENT_INTERVAL",
            "must be greater than zero",
        ));
    }
    if let Some(v) = opt(src, "AGENT_DOCKER_IMAGE_REPOSITORY", |r| {
        Ok(r.trim().to_owned())
    })? {
        c.agent_docker_image_repository = v;
    }
    if let Some(v) = opt(src, "AGENT_KUBERNETES_IMAGE_REPOSITORY", |r| {
        Ok(r.trim().to_owned())
    })? {
        c.agent_kubernetes_image_repository = v;
    }
    c.agent_docker_config = opt(src, "AGENT_DOCKER_CONFIG", |raw| {
        serde_json::from_str::<serde_json::Value>(raw)
            .map(|_| raw.to_owned())
            .map_err(|_| "not valid JSON".to_owned())
    })?;
    if let Some(v) = opt(src, "HUB_AGENT_VERSION", parse::agent_version)? {
        c.hub_agent_version = v;
    }
    if let Some(v) = opt(src, "RATE_LIMIT_ENABLED", parse::boolean)? {
        c.rate_limit_enabled = v;
    }
    if let Some(v) = opt(src, "EXPORT_MAX_ROWS", parse::positive)? {
        c.export_max_rows = v;
    }
    c.trusted_proxies = opt(src, "TRUSTED_PROXIES", |raw| {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(parse::cidr)
            .collect()
    })?
    .unwrap_or_default();
    c.metrics_listen_addr = opt(src, "METRICS_LISTEN_ADDR", parse::socket_addr)?;
    c.metrics_bearer_token = opt(src, "METRICS_BEARER_TOKEN", |r| Ok(r.trim().to_owned()))?;
    c.log_format = opt(src, "LOG_FORMAT", |raw| match raw.trim() {
        "json" => Ok(LogFormat::Json),
        "text" => Ok(LogFormat::Text),
        _ => Err("must be json or text".to_owned()),
    })?;
    if let Some(v) = opt(src, "LOG_LEVEL", |raw| {
        tracing_subscriber::EnvFilter::try_new(raw.trim())
            .map(|_| raw.trim().to_owned())
            .map_err(|_| "not a log filter directive".to_owned())
    })? {
        c.log_level = v;
    }
    c.status_entries_max_age = opt(src, "STATUS_ENTRIES_MAX_AGE", parse::duration)?;
    c.metrics_entries_max_age = opt(src, "METRICS_ENTRIES_MAX_AGE", parse::duration)?;
    c.log_record_entries_max_count = opt(src, "LOG_RECORD_ENTRIES_MAX_COUNT", parse::positive)?;
    for job in CLEANUP_JOBS {
        let cron = opt(src, &format!("CLEANUP_{job}_CRON"), |raw| {
            crate::retention::schedule::parse_cron(raw).map(|_| raw.trim().to_owned())
        })?;
        let timeout = opt(src, &format!("CLEANUP_{job}_TIMEOUT"), parse::duration)?;
        if let Some(cron) = cron {
            c.cleanup.insert(job, (cron, timeout));
        }
    }
    let secrets = secrets::parse(src, c.is_postgres())?;
    if let Some(jwt) = &secrets.jwt_secret {
        c.jwt_secret.clone_from(jwt);
    }
    Ok(LoadedConfig { hub: c, secrets })
}

#[cfg(test)]
mod tests;
