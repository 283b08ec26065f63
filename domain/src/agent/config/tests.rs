use std::collections::HashMap;

use super::*;

const REQUIRED: [&str; 9] = [
    "DISTR_TARGET_ID",
    "DISTR_TARGET_SECRET",
    "DISTR_LOGIN_ENDPOINT",
    "DISTR_MANIFEST_ENDPOINT",
    "DISTR_RESOURCE_ENDPOINT",
    "DISTR_STATUS_ENDPOINT",
    "DISTR_METRICS_ENDPOINT",
    "DISTR_LOGS_ENDPOINT",
    "DISTR_AGENT_LOGS_ENDPOINT",
];

fn base() -> HashMap<String, String> {
    REQUIRED
        .iter()
        .map(|name| ((*name).to_owned(), format!("value-of-{name}")))
        .collect()
}

fn parse(vars: &HashMap<String, String>) -> Result<AgentEnv, AgentDecisionError> {
    parse_agent_env(&|name| vars.get(name).cloned())
}

#[test]
fn defaults_apply_when_only_required_variables_are_set() {
    let env = parse(&base()).unwrap();
    assert_eq!(env.interval, Duration::from_secs(5));
    assert_eq!(env.agent_version_id, "");
    assert_eq!(env.registry_host, "");
    assert!(!env.registry_plain_http);
    assert_eq!(env.scratch_dir, "./scratch");
    assert_eq!(env.host_docker_config_dir, None);
    assert_eq!(env.resources_endpoint, "value-of-DISTR_RESOURCE_ENDPOINT");
    assert_eq!(
        env.agent_logs_endpoint,
        "value-of-DISTR_AGENT_LOGS_ENDPOINT"
    );
}

#[test]
fn each_absent_required_variable_is_named() {
    for name in REQUIRED {
        let mut vars = base();
        vars.remove(name);
        assert_eq!(
            parse(&vars).unwrap_err().to_string(),
            format!("missing environment variable: {name}")
        );
    }
}

#[test]
fn an_empty_required_variable_counts_as_present() {
    let mut vars = base();
    vars.insert("DISTR_TARGET_SECRET".to_owned(), String::new());
    assert_eq!(parse(&vars).unwrap().target_secret, "");
}

#[test]
fn go_style_intervals_parse_and_zero_is_rejected() {
    let mut vars = base();
    vars.insert("DISTR_INTERVAL".to_owned(), "1m0s".to_owned());
    assert_eq!(parse(&vars).unwrap().interval, Duration::from_secs(60));
    vars.insert("DISTR_INTERVAL".to_owned(), "0s".to_owned());
    assert!(matches!(
        parse(&vars),
        Err(AgentDecisionError::InvalidEnv {
            name: "DISTR_INTERVAL",
            ..
        })
    ));
    vars.insert("DISTR_INTERVAL".to_owned(), "soon".to_owned());
    assert!(parse(&vars).is_err());
}

#[test]
fn booleans_use_go_spellings() {
    let mut vars = base();
    for (text, expected) in [
        ("1", true),
        ("t", true),
        ("TRUE", true),
        ("True", true),
        ("0", false),
        ("f", false),
        ("False", false),
    ] {
        vars.insert("DISTR_REGISTRY_PLAIN_HTTP".to_owned(), text.to_owned());
        assert_eq!(
            parse(&vars).unwrap().registry_plain_http,
            expected,
            "{text}"
        );
    }
    vars.insert("DISTR_REGISTRY_PLAIN_HTTP".to_owned(), "yes".to_owned());
    assert!(parse(&vars).is_err());
}

#[test]
fn optional_values_are_read() {
    let mut vars = base();
    vars.insert("DISTR_AGENT_VERSION_ID".to_owned(), "v1".to_owned());
    vars.insert("DISTR_REGISTRY_HOST".to_owned(), "hub:8585".to_owned());
    vars.insert("DISTR_AGENT_SCRATCH_DIR".to_owned(), "/scratch".to_owned());
    vars.insert(
        "HOST_DOCKER_CONFIG_DIR".to_owned(),
        "/home/u/.docker".to_owned(),
    );
    let env = parse(&vars).unwrap();
    assert_eq!(env.agent_version_id, "v1");
    assert_eq!(env.registry_host, "hub:8585");
    assert_eq!(env.scratch_dir, "/scratch");
    assert_eq!(
        env.host_docker_config_dir.as_deref(),
        Some("/home/u/.docker")
    );
}

#[test]
fn debug_hides_the_secret() {
    let mut vars = base();
    vars.insert(
        "DISTR_TARGET_SECRET".to_owned(),
        "0123456789abcdef".to_owned(),
    );
    let env = parse(&vars).unwrap();
    let debug = format!("{env:?}");
    assert!(!debug.contains("0123456789abcdef"));
    assert!(debug.contains("***"));
}
