//! Configuration reload of the kubernetes agent (AP §8.1): the files of the
//! directories in `DISTR_AGENT_CONFIG_DIRS` override the process environment,
//! and every tick re-reads the target credentials and the seven endpoints.
//!
//! Pure: an adapter reads the files into a map, the agent passes it here.

use std::collections::BTreeMap;

use crate::agent::{AgentDecisionError, AgentEnv};

/// The variable naming the configuration directories.
pub const CONFIG_DIRS_VAR: &str = "DISTR_AGENT_CONFIG_DIRS";

/// The directories of `DISTR_AGENT_CONFIG_DIRS`: one per line, surrounding
/// whitespace trimmed, blank lines ignored.
#[must_use]
pub fn config_dirs(value: &str) -> Vec<&str> {
    value
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}

/// Whether a directory entry becomes an environment variable: every entry
/// whose name does not start with `..` (the `..data` links and timestamped
/// directories of a mounted ConfigMap or Secret are skipped).
#[must_use]
pub fn is_config_entry(name: &str) -> bool {
    !name.is_empty() && !name.starts_with("..")
}

/// A lookup in which the configuration files win over `fallback` (the
/// process environment), as upstream's `os.Setenv` of every file does.
pub fn overlay_lookup<'a>(
    files: &'a BTreeMap<String, String>,
    fallback: &'a dyn Fn(&str) -> Option<String>,
) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| files.get(name).cloned().or_else(|| fallback(name))
}

/// The result of a per-tick reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    /// The configuration to use from now on.
    pub env: AgentEnv,
    /// Whether the target id, secret or an endpoint changed: the Hub client
    /// must then be replaced and its cached token dropped.
    pub connection_changed: bool,
}

/// Re-reads `DISTR_TARGET_ID`, `DISTR_TARGET_SECRET` and the seven
/// `DISTR_*_ENDPOINT` variables through `get`; everything else (notably
/// `DISTR_AGENT_VERSION_ID` and `DISTR_INTERVAL`, read once at startup) is
/// kept from `current`.
///
/// # Errors
/// `MissingEnv` naming the first of the nine variables that is absent; the
/// caller keeps `current` then.
pub fn reload_agent_env(
    current: &AgentEnv,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Reloaded, AgentDecisionError> {
    let read = |name: &'static str| get(name).ok_or(AgentDecisionError::MissingEnv(name));
    let env = AgentEnv {
        target_id: read("DISTR_TARGET_ID")?,
        target_secret: read("DISTR_TARGET_SECRET")?,
        login_endpoint: read("DISTR_LOGIN_ENDPOINT")?,
        manifest_endpoint: read("DISTR_MANIFEST_ENDPOINT")?,
        resources_endpoint: read("DISTR_RESOURCE_ENDPOINT")?,
        status_endpoint: read("DISTR_STATUS_ENDPOINT")?,
        metrics_endpoint: read("DISTR_METRICS_ENDPOINT")?,
        logs_endpoint: read("DISTR_LOGS_ENDPOINT")?,
        agent_logs_endpoint: read("DISTR_AGENT_LOGS_ENDPOINT")?,
        ..current.clone()
    };
    let connection_changed = env != *current;
    Ok(Reloaded {
        env,
        connection_changed,
    })
}

#[cfg(test)]
mod tests;
