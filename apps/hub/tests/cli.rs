//! The real `distr-hub` binary: startup time, the SQLite lock, exit codes and
//! `admin create` here; shutdown, start-up checks, secrecy, and several
//! replicas on one PostgreSQL in `cli/`. Every process starts in an empty
//! directory with an empty environment (`cli/process.rs`).

use std::path::Path;
use std::time::{Duration, Instant};

#[path = "cli/api.rs"]
mod api;
#[path = "cli/metrics.rs"]
mod metrics;
#[path = "cli/postgres.rs"]
mod postgres;
#[path = "cli/process.rs"]
mod process;
#[path = "cli/replicas.rs"]
mod replicas;
#[path = "cli/retention.rs"]
mod retention;
#[path = "cli/secrecy.rs"]
mod secrecy;
#[path = "cli/shutdown.rs"]
mod shutdown;
#[path = "cli/startup.rs"]
mod startup;

use process::{Serve, free_port, run};

#[test]
fn serve_is_ready_within_three_seconds_and_a_second_serve_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut serve = Serve::start(dir.path(), &[]);
    serve.wait_ready(Duration::from_secs(3));
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(dir.path().join("distr.db").exists());
    let key = dir.path().join("distr-secrets.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let second = run(
        dir.path(),
        &["serve"],
        &[("LISTEN_ADDR", &format!("127.0.0.1:{}", free_port()))],
    );
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("another distr-hub serve"));

    // One-shot commands work while serve runs.
    let admin = run(
        dir.path(),
        &[
            "admin",
            "create",
            "--org-name",
            "Acme",
            "--email",
            "ops@example.com",
            "--name",
            "Ops",
            "--generate-password",
        ],
        &[],
    );
    assert_eq!(
        admin.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&admin.stderr)
    );

    serve.stop();
    let logs = serve.logs();
    assert!(
        logs.contains("admin create --org-name"),
        "first-run hint is logged"
    );
    assert!(
        logs.contains(r#""route":"/ready""#),
        "access lines carry the route template"
    );
}

#[test]
fn admin_create_fails_for_an_existing_email_unless_if_not_exists() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "admin",
        "create",
        "--org-name",
        "Acme",
        "--email",
        "ada@example.com",
        "--name",
        "Ada",
        "--generate-password",
    ];
    let first = run(dir.path(), &args, &[]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert!(created["organizationId"].is_string());
    assert!(created["password"].as_str().is_some_and(|p| p.len() >= 16));

    let again = run(dir.path(), &args, &[]);
    assert_eq!(again.status.code(), Some(1));

    let mut tolerant: Vec<&str> = args.to_vec();
    tolerant.extend(["--if-not-exists", "--token-label", "ci"]);
    let ensured = run(dir.path(), &tolerant, &[]);
    assert_eq!(
        ensured.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ensured.stderr)
    );
    let ensured: serde_json::Value = serde_json::from_slice(&ensured.stdout).unwrap();
    assert_eq!(ensured["organizationId"], created["organizationId"]);
    assert!(ensured.get("password").is_none());
    assert!(
        ensured["accessToken"]
            .as_str()
            .is_some_and(|t| t.starts_with("distr-"))
    );
}

#[test]
fn invalid_configuration_exits_2_naming_the_variable_but_not_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &["serve"],
        &[("AGENT_INTERVAL", "whenever-secret")],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("AGENT_INTERVAL"), "{stderr}");
    assert!(!stderr.contains("whenever-secret"));
    let output = run(
        dir.path(),
        &["serve"],
        &[("DATABASE_URL", "postgres://u@localhost/db")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("JWT_SECRET"));
}

#[test]
fn usage_errors_exit_2_and_gen_key_prints_a_32_byte_key() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        run(dir.path(), &["no-such-command"], &[]).status.code(),
        Some(2)
    );
    let missing_password = run(
        dir.path(),
        &[
            "admin",
            "create",
            "--org-name",
            "A",
            "--email",
            "a@b.co",
            "--name",
            "A",
        ],
        &[],
    );
    assert_eq!(missing_password.status.code(), Some(2));
    let key = run(dir.path(), &["gen-key"], &[]);
    assert_eq!(key.status.code(), Some(0));
    use base64::Engine as _;
    let text = String::from_utf8(key.stdout).unwrap();
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .unwrap()
            .len(),
        32
    );
    let version = run(dir.path(), &["version"], &[]);
    let info: serde_json::Value = serde_json::from_slice(&version.stdout).unwrap();
    assert!(info["agentVersion"].is_string());
}

#[test]
fn openapi_prints_the_served_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["openapi"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let built: serde_json::Value =
        serde_json::from_str(&distr_hub::openapi::document_json()).unwrap();
    assert_eq!(printed, built);
    assert_eq!(printed["openapi"], "3.1.0");
}

/// Seeds `distr.db` in `dir` with one target holding three metrics samples,
/// two of them a day old, and returns nothing: the binary reads the file.
fn seed_metrics(dir: &Path) {
    use distr_ports::store::MetricsStore as _;
    use distr_testkit::builders::MetricsSampleBuilder;
    use distr_testkit::contract::seed;

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}", dir.join("distr.db").display());
        let store = distr_sql_store::SqlStore::open(&url, distr_sql_store::OpenOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let org = seed::organization(&store).await;
        let target = seed::target(&store, org.id, "t").await;
        let now = chrono::Utc::now();
        for age in [
            chrono::Duration::days(2),
            chrono::Duration::days(1),
            chrono::Duration::zero(),
        ] {
            let sample = MetricsSampleBuilder::new(target.id, now - age).build();
            store.insert_metrics(&sample).await.unwrap();
        }
    });
}

#[test]
fn cleanup_all_exits_0_and_runs_each_enabled_job_once() {
    let dir = tempfile::tempdir().unwrap();
    seed_metrics(dir.path());
    let output = run(
        dir.path(),
        &["cleanup", "all", "--timeout", "1m"],
        &[("METRICS_ENTRIES_MAX_AGE", "1h")],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let jobs = report["jobs"].as_array().unwrap();
    let names: Vec<&str> = jobs.iter().map(|j| j["job"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "DeploymentTargetStatus",
            "DeploymentRevisionStatus",
            "DeploymentTargetMetrics",
            "DeploymentLogRecord",
            "DeploymentTargetLogRecord"
        ]
    );
    let metrics = &jobs[2];
    assert_eq!(metrics["outcome"], "done");
    assert_eq!(metrics["deleted"], 2, "the two day-old samples go");
    assert_eq!(
        jobs[0]["outcome"], "disabled",
        "STATUS_ENTRIES_MAX_AGE is unset"
    );

    let again = run(
        dir.path(),
        &["cleanup", "DeploymentTargetMetrics"],
        &[("METRICS_ENTRIES_MAX_AGE", "1h")],
    );
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["jobs"][0]["deleted"], 0, "idempotent");
    let bad = run(dir.path(), &["cleanup", "Everything"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    let bad_timeout = run(dir.path(), &["cleanup", "all", "--timeout", "soon"], &[]);
    assert_eq!(bad_timeout.status.code(), Some(2));
}

// HS §7 item 78 (the link itself is exercised in tests/api/users.rs)
#[test]
fn user_reset_link_prints_a_reset_url_and_exits_with_hs_codes() {
    let dir = tempfile::tempdir().unwrap();
    let created = run(
        dir.path(),
        &[
            "admin",
            "create",
            "--org-name",
            "Acme",
            "--email",
            "ada@example.com",
            "--name",
            "Ada",
            "--generate-password",
        ],
        &[],
    );
    assert_eq!(created.status.code(), Some(0));
    let created: serde_json::Value = serde_json::from_slice(&created.stdout).unwrap();
    let env = [("DISTR_HOST", "https://hub.example.com")];
    let org = created["organizationId"].as_str().unwrap();
    let link = run(
        dir.path(),
        &[
            "user",
            "reset-link",
            "--email",
            "ADA@example.com",
            "--organization",
            org,
        ],
        &env,
    );
    assert_eq!(
        link.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&link.stderr)
    );
    let link: serde_json::Value = serde_json::from_slice(&link.stdout).unwrap();
    let url = link["resetUrl"].as_str().unwrap();
    assert!(
        url.starts_with("https://hub.example.com/reset?token="),
        "{url}"
    );
    assert_eq!(link["userAccountId"], created["userAccountId"]);
    assert_eq!(link["organizationId"], org);

    let unknown = run(
        dir.path(),
        &["user", "reset-link", "--email", "nobody@example.com"],
        &env,
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(unknown.stdout.is_empty());
    let other_org = run(
        dir.path(),
        &[
            "user",
            "reset-link",
            "--email",
            "ada@example.com",
            "--organization",
            "0190a0a0-0000-7000-8000-000000000000",
        ],
        &env,
    );
    assert_eq!(other_org.status.code(), Some(1));
    let malformed = run(
        dir.path(),
        &["user", "reset-link", "--email", "not-an-email"],
        &env,
    );
    assert_eq!(malformed.status.code(), Some(2));
    let missing = run(dir.path(), &["user", "reset-link"], &env);
    assert_eq!(missing.status.code(), Some(2));
}

// HS §5.2 `secrets rekey`: on an empty database it re-encrypts nothing, prints
// JSON and exits 0; afterwards `serve`'s key check accepts the key.
#[test]
fn secrets_rekey_prints_a_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let key = "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=";
    let out = run(
        dir.path(),
        &["secrets", "rekey"],
        &[("SECRETS_ENCRYPTION_KEY", key), ("LOG_FORMAT", "text")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report,
        serde_json::json!({"secrets": 0, "lastGoodPayloads": 0, "alreadyCurrent": 0})
    );
    let bad = run(
        dir.path(),
        &["secrets", "rekey"],
        &[("SECRETS_ENCRYPTION_KEYS_PREVIOUS", "not-base64")],
    );
    assert_eq!(bad.status.code(), Some(2));
}
