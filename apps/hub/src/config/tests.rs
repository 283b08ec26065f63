use super::*;

fn parse_pairs(pairs: &[(&str, &str)]) -> Result<LoadedConfig, ConfigError> {
    parse(&MapSource::from_pairs(pairs.iter().copied()))
}

#[test]
fn empty_environment_gives_the_documented_defaults() {
    let loaded = parse_pairs(&[]).unwrap();
    let c = loaded.hub;
    assert_eq!(c.listen_addr.to_string(), "0.0.0.0:8080");
    assert_eq!(c.distr_host, "http://localhost:8080");
    assert_eq!(c.sqlite_path(), Some(PathBuf::from("distr.db")));
    assert_eq!(c.agent_interval, Duration::from_secs(5));
    assert_eq!(c.shutdown_grace_period, Duration::from_secs(30));
    assert_eq!(c.hub_agent_version, SHIPPED_AGENT_VERSION);
    assert!(c.rate_limit_enabled);
    assert!(c.jwt_secret.is_empty());
    assert!(loaded.secrets.jwt_secret.is_none());
}

#[test]
fn values_are_read_and_trailing_slash_is_dropped() {
    let c = parse_pairs(&[
        ("DISTR_HOST", "https://hub.example.com/"),
        ("AGENT_INTERVAL", "1m0s"),
        ("RATE_LIMIT_ENABLED", "false"),
        ("CLEANUP_DEPLOYMENT_LOG_RECORD_CRON", "0 * * * *"),
        ("CLEANUP_DEPLOYMENT_LOG_RECORD_TIMEOUT", "10m"),
    ])
    .unwrap()
    .hub;
    assert_eq!(c.distr_host, "https://hub.example.com");
    assert_eq!(c.agent_interval, Duration::from_secs(60));
    assert!(!c.rate_limit_enabled);
    assert_eq!(
        c.cleanup.get("DEPLOYMENT_LOG_RECORD"),
        Some(&("0 * * * *".to_owned(), Some(Duration::from_secs(600))))
    );
}

#[test]
fn invalid_duration_names_the_variable_but_not_the_value() {
    let err = parse_pairs(&[("HEALTH_STALE_AFTER", "sixty-secret-seconds")]).unwrap_err();
    assert_eq!(err.variable, "HEALTH_STALE_AFTER");
    assert!(!err.to_string().contains("sixty-secret-seconds"));
}

#[test]
fn postgres_requires_jwt_secret_and_encryption_key() {
    let err = parse_pairs(&[("DATABASE_URL", "postgres://u@localhost/distr")]).unwrap_err();
    assert_eq!(err.variable, "JWT_SECRET");
    let jwt = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let err = parse_pairs(&[
        ("DATABASE_URL", "postgres://u@localhost/distr"),
        ("JWT_SECRET", jwt),
    ])
    .unwrap_err();
    assert_eq!(err.variable, "SECRETS_ENCRYPTION_KEY");
}

#[test]
fn short_jwt_secret_is_refused() {
    let err = parse_pairs(&[("JWT_SECRET", "c2hvcnQ=")]).unwrap_err();
    assert_eq!(err.variable, "JWT_SECRET");
}

#[test]
fn old_agent_version_is_refused() {
    let err = parse_pairs(&[("HUB_AGENT_VERSION", "1.6.0")]).unwrap_err();
    assert_eq!(err.variable, "HUB_AGENT_VERSION");
}

#[test]
fn real_environment_wins_over_the_dotenv_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.env");
    std::fs::write(&file, "DISTR_HOST=http://from-file:1\nAGENT_INTERVAL=9s\n").unwrap();
    let path = file.to_string_lossy().into_owned();
    let env = MapSource::from_pairs([
        ("DISTR_ENV", path.as_str()),
        ("DISTR_HOST", "http://from-env:2"),
    ]);
    let c = load(&env).unwrap().hub;
    assert_eq!(c.distr_host, "http://from-env:2");
    assert_eq!(c.agent_interval, Duration::from_secs(9));
}

#[test]
fn missing_dotenv_file_is_a_config_error() {
    let env = MapSource::from_pairs([("DISTR_ENV", "/nonexistent/distr.env")]);
    assert_eq!(load(&env).unwrap_err().variable, "DISTR_ENV");
}

#[test]
fn debug_output_redacts_secrets() {
    let jwt = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let loaded = parse_pairs(&[
        ("JWT_SECRET", jwt),
        ("METRICS_BEARER_TOKEN", "bearer-secret-value"),
    ])
    .unwrap();
    let text = format!("{loaded:?}");
    assert!(!text.contains("bearer-secret-value"));
    assert!(!text.contains("48, 49, 50"));
    assert!(!text.contains(jwt));
}
