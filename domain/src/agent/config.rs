//! The agent's environment (AP §6.1), read through a lookup function so the
//! decision stays pure.

use std::fmt;
use std::time::Duration;

use crate::agent::AgentDecisionError;
use crate::duration::parse_duration;

/// The docker agent's configuration. `Debug` hides the target secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AgentEnv {
    /// `DISTR_TARGET_ID`: Basic-auth user of the login.
    pub target_id: String,
    /// `DISTR_TARGET_SECRET`: Basic-auth password (secret).
    pub target_secret: String,
    /// `DISTR_LOGIN_ENDPOINT`, used verbatim.
    pub login_endpoint: String,
    /// `DISTR_MANIFEST_ENDPOINT`.
    pub manifest_endpoint: String,
    /// `DISTR_RESOURCE_ENDPOINT`.
    pub resources_endpoint: String,
    /// `DISTR_STATUS_ENDPOINT`.
    pub status_endpoint: String,
    /// `DISTR_METRICS_ENDPOINT`.
    pub metrics_endpoint: String,
    /// `DISTR_LOGS_ENDPOINT`.
    pub logs_endpoint: String,
    /// `DISTR_AGENT_LOGS_ENDPOINT`.
    pub agent_logs_endpoint: String,
    /// `DISTR_INTERVAL` (default 5 s, always > 0).
    pub interval: Duration,
    /// `DISTR_AGENT_VERSION_ID`; `""` disables self-update.
    pub agent_version_id: String,
    /// `DISTR_REGISTRY_HOST`; `""` means no Distr-registry login (AP §11f).
    pub registry_host: String,
    /// `DISTR_REGISTRY_PLAIN_HTTP`.
    pub registry_plain_http: bool,
    /// `DISTR_AGENT_SCRATCH_DIR` (default `./scratch`).
    pub scratch_dir: String,
    /// `HOST_DOCKER_CONFIG_DIR`, passed on to the self-update helper.
    pub host_docker_config_dir: Option<String>,
}

impl fmt::Debug for AgentEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentEnv")
            .field("target_id", &self.target_id)
            .field("target_secret", &"***")
            .field("login_endpoint", &self.login_endpoint)
            .field("manifest_endpoint", &self.manifest_endpoint)
            .field("resources_endpoint", &self.resources_endpoint)
            .field("status_endpoint", &self.status_endpoint)
            .field("metrics_endpoint", &self.metrics_endpoint)
            .field("logs_endpoint", &self.logs_endpoint)
            .field("agent_logs_endpoint", &self.agent_logs_endpoint)
            .field("interval", &self.interval)
            .field("agent_version_id", &self.agent_version_id)
            .field("registry_host", &self.registry_host)
            .field("registry_plain_http", &self.registry_plain_http)
            .field("scratch_dir", &self.scratch_dir)
            .field("host_docker_config_dir", &self.host_docker_config_dir)
            .finish()
    }
}

const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// Reads the environment through `get` (e.g. `|k| std::env::var(k).ok()`).
///
/// A required variable that is absent is an error; an empty value counts as
/// present. Optional variables that are empty take their default.
///
/// # Errors
/// `MissingEnv` naming the first absent required variable; `InvalidEnv` for
/// a bad `DISTR_INTERVAL` (not a duration, or zero) or a bad boolean.
pub fn parse_agent_env(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<AgentEnv, AgentDecisionError> {
    let required = |name: &'static str| get(name).ok_or(AgentDecisionError::MissingEnv(name));
    let optional = |name: &str| get(name).filter(|v| !v.trim().is_empty());
    let env = AgentEnv {
        target_id: required("DISTR_TARGET_ID")?,
        target_secret: required("DISTR_TARGET_SECRET")?,
        login_endpoint: required("DISTR_LOGIN_ENDPOINT")?,
        manifest_endpoint: required("DISTR_MANIFEST_ENDPOINT")?,
        resources_endpoint: required("DISTR_RESOURCE_ENDPOINT")?,
        status_endpoint: required("DISTR_STATUS_ENDPOINT")?,
        metrics_endpoint: required("DISTR_METRICS_ENDPOINT")?,
        logs_endpoint: required("DISTR_LOGS_ENDPOINT")?,
        agent_logs_endpoint: required("DISTR_AGENT_LOGS_ENDPOINT")?,
        interval: match optional("DISTR_INTERVAL") {
            None => DEFAULT_INTERVAL,
            Some(text) => parse_interval(&text)?,
        },
        agent_version_id: get("DISTR_AGENT_VERSION_ID").unwrap_or_default(),
        registry_host: get("DISTR_REGISTRY_HOST").unwrap_or_default(),
        registry_plain_http: match optional("DISTR_REGISTRY_PLAIN_HTTP") {
            None => false,
            Some(text) => parse_bool("DISTR_REGISTRY_PLAIN_HTTP", &text)?,
        },
        scratch_dir: optional("DISTR_AGENT_SCRATCH_DIR").unwrap_or_else(|| "./scratch".to_owned()),
        host_docker_config_dir: get("HOST_DOCKER_CONFIG_DIR"),
    };
    Ok(env)
}

fn parse_interval(text: &str) -> Result<Duration, AgentDecisionError> {
    let invalid = |reason: &str| AgentDecisionError::InvalidEnv {
        name: "DISTR_INTERVAL",
        reason: reason.to_owned(),
    };
    match parse_duration(text) {
        Ok(interval) if interval.is_zero() => Err(invalid("must be greater than zero")),
        Ok(interval) => Ok(interval),
        Err(err) => Err(invalid(&err.to_string())),
    }
}

/// Go's `strconv.ParseBool` spellings.
fn parse_bool(name: &'static str, text: &str) -> Result<bool, AgentDecisionError> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(AgentDecisionError::InvalidEnv {
            name,
            reason: "not a boolean".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests;
