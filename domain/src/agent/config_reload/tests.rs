use std::collections::HashMap;
use std::time::Duration;

use super::*;
use crate::agent::parse_agent_env;

fn startup() -> AgentEnv {
    let vars: HashMap<&str, &str> = [
        ("DISTR_TARGET_ID", "target-1"),
        ("DISTR_TARGET_SECRET", "secret-1"),
        ("DISTR_LOGIN_ENDPOINT", "http://hub/api/v1/agent/login"),
        (
            "DISTR_MANIFEST_ENDPOINT",
            "http://hub/api/v1/agent/manifest",
        ),
        (
            "DISTR_RESOURCE_ENDPOINT",
            "http://hub/api/v1/agent/resources",
        ),
        ("DISTR_STATUS_ENDPOINT", "http://hub/api/v1/agent/status"),
        ("DISTR_METRICS_ENDPOINT", "http://hub/api/v1/agent/metrics"),
        ("DISTR_LOGS_ENDPOINT", "http://hub/api/v1/agent/logs"),
        (
            "DISTR_AGENT_LOGS_ENDPOINT",
            "http://hub/api/v1/agent/deployment-target-logs",
        ),
        ("DISTR_INTERVAL", "5s"),
        ("DISTR_AGENT_VERSION_ID", "v-old"),
    ]
    .into_iter()
    .collect();
    parse_agent_env(&|name| vars.get(name).map(|v| (*v).to_owned())).unwrap()
}

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn config_dirs_are_newline_separated_with_blanks_ignored() {
    assert_eq!(
        config_dirs("/opt/config/.agent/env\n/opt/config/.agent/auth\n"),
        vec!["/opt/config/.agent/env", "/opt/config/.agent/auth"]
    );
    assert_eq!(config_dirs("\n  \n /a \n\n"), vec!["/a"]);
    assert!(config_dirs("").is_empty());
}

#[test]
fn dot_dot_entries_of_a_mounted_volume_are_skipped() {
    assert!(is_config_entry("DISTR_TARGET_ID"));
    assert!(is_config_entry(".hidden"));
    assert!(!is_config_entry("..data"));
    assert!(!is_config_entry("..2026_11_26_20_00_00.123"));
    assert!(!is_config_entry(""));
}

#[test]
fn files_override_the_process_environment() {
    let files = files(&[("DISTR_TARGET_ID", "from-file")]);
    let process = |name: &str| Some(format!("env-{name}"));
    let get = overlay_lookup(&files, &process);
    assert_eq!(get("DISTR_TARGET_ID").as_deref(), Some("from-file"));
    assert_eq!(get("OTHER").as_deref(), Some("env-OTHER"));
}

#[test]
fn an_unchanged_reload_keeps_the_client() {
    let current = startup();
    let unchanged = current.clone();
    let process = |name: &str| match name {
        "DISTR_TARGET_ID" => Some(unchanged.target_id.clone()),
        "DISTR_TARGET_SECRET" => Some(unchanged.target_secret.clone()),
        "DISTR_LOGIN_ENDPOINT" => Some(unchanged.login_endpoint.clone()),
        "DISTR_MANIFEST_ENDPOINT" => Some(unchanged.manifest_endpoint.clone()),
        "DISTR_RESOURCE_ENDPOINT" => Some(unchanged.resources_endpoint.clone()),
        "DISTR_STATUS_ENDPOINT" => Some(unchanged.status_endpoint.clone()),
        "DISTR_METRICS_ENDPOINT" => Some(unchanged.metrics_endpoint.clone()),
        "DISTR_LOGS_ENDPOINT" => Some(unchanged.logs_endpoint.clone()),
        "DISTR_AGENT_LOGS_ENDPOINT" => Some(unchanged.agent_logs_endpoint.clone()),
        _ => None,
    };
    let reloaded = reload_agent_env(&current, &process).unwrap();
    assert!(!reloaded.connection_changed);
    assert_eq!(reloaded.env, current);
}

#[test]
fn a_changed_secret_replaces_the_client_but_version_and_interval_stay() {
    let current = startup();
    let new_files = files(&[
        ("DISTR_TARGET_SECRET", "secret-2"),
        ("DISTR_AGENT_VERSION_ID", "v-new"),
        ("DISTR_INTERVAL", "1m0s"),
    ]);
    let base = current.clone();
    let process = move |name: &str| match name {
        "DISTR_TARGET_ID" => Some(base.target_id.clone()),
        "DISTR_TARGET_SECRET" => Some(base.target_secret.clone()),
        other if other.ends_with("_ENDPOINT") => Some(format!("http://hub/{other}")),
        _ => None,
    };
    let get = overlay_lookup(&new_files, &process);
    let reloaded = reload_agent_env(&current, &get).unwrap();
    assert!(reloaded.connection_changed);
    assert_eq!(reloaded.env.target_secret, "secret-2");
    assert_eq!(
        reloaded.env.status_endpoint,
        "http://hub/DISTR_STATUS_ENDPOINT"
    );
    assert_eq!(reloaded.env.agent_version_id, "v-old");
    assert_eq!(reloaded.env.interval, Duration::from_secs(5));
}

#[test]
fn an_absent_variable_is_named_and_nothing_changes() {
    let current = startup();
    let err = reload_agent_env(&current, &|name| {
        (name != "DISTR_METRICS_ENDPOINT").then(|| "x".to_owned())
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing environment variable: DISTR_METRICS_ENDPOINT"
    );
}
