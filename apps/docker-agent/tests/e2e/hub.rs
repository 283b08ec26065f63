//! The real Hub: `distr-hub serve` as a child process on a free loopback port
//! with a temporary SQLite database, plus its one-shot CLI commands.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use crate::process::{Out, run};

/// Settings of one Hub.
#[derive(Debug, Clone)]
pub struct HubOptions {
    /// `HUB_AGENT_VERSION`: the version new targets get.
    pub agent_version: String,
    /// `AGENT_DOCKER_IMAGE_REPOSITORY`.
    pub agent_repository: String,
    /// `HEALTH_STALE_AFTER`.
    pub stale_after: String,
    /// `DISTR_HOST` when agents reach the Hub through something else (a
    /// proxy); the Hub's own base otherwise.
    pub distr_host: Option<String>,
}

/// A running (or stopped) Hub process.
#[derive(Debug)]
pub struct Hub {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    options: HubOptions,
    child: Option<tokio::process::Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Hub {
    /// Starts a Hub on a new database and waits until it is ready.
    pub async fn start(bin: &Path, options: HubOptions) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("distr-e2e-hub-")
            .tempdir()
            .expect("hub temp dir");
        let mut hub = Self {
            bin: bin.to_owned(),
            dir,
            port: free_port(),
            options,
            child: None,
        };
        hub.start_again().await;
        hub
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The SQLite database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("hub.db")
    }

    /// The Hub's combined output so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("hub.log")).unwrap_or_default()
    }

    fn env(&self) -> Vec<(String, String)> {
        let o = &self.options;
        let mut env = vec![
            ("LISTEN_ADDR", format!("127.0.0.1:{}", self.port)),
            (
                "DISTR_HOST",
                o.distr_host.clone().unwrap_or_else(|| self.base()),
            ),
            (
                "DATABASE_URL",
                format!("sqlite://{}", self.db_path().display()),
            ),
            ("AGENT_INTERVAL", "1s".to_owned()),
            ("AGENT_DOCKER_IMAGE_REPOSITORY", o.agent_repository.clone()),
            ("HUB_AGENT_VERSION", o.agent_version.clone()),
            ("HEALTH_STALE_AFTER", o.stale_after.clone()),
            ("RATE_LIMIT_ENABLED", "false".to_owned()),
            ("SHUTDOWN_DELAY", "0s".to_owned()),
            ("SHUTDOWN_GRACE_PERIOD", "2s".to_owned()),
            ("LOG_FORMAT", "text".to_owned()),
            ("LOG_LEVEL", "info".to_owned()),
        ];
        for key in ["PATH", "HOME"] {
            if let Ok(value) = std::env::var(key) {
                env.push((key, value));
            }
        }
        env.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    /// Starts `serve` (again, on the same port and database) and waits for `/ready`.
    pub async fn start_again(&mut self) {
        assert!(self.child.is_none(), "the hub is already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("hub.log"))
            .expect("hub log file");
        let child = tokio::process::Command::new(&self.bin)
            .arg("serve")
            .env_clear()
            .envs(self.env())
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("hub log file"))
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("start distr-hub serve");
        self.child = Some(child);
        let client = reqwest::Client::new();
        let ready = format!("{}/ready", self.base());
        let log_path = self.dir.path().join("hub.log");
        let child = self.child.as_mut().expect("hub child");
        until!("the hub to be ready", Duration::from_secs(60), async {
            if let Ok(Some(status)) = child.try_wait() {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!("distr-hub serve exited: {status}\n{log}");
            }
            match client.get(&ready).send().await {
                Ok(r) if r.status().is_success() => Ok(()),
                Ok(r) => Err(r.status().to_string()),
                Err(e) => Err(e.to_string()),
            }
        });
    }

    /// Stops `serve` with SIGTERM (SIGKILL after 10 s); the database stays.
    pub async fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Some(pid) = child.id() {
            let _ = run("kill", &["-TERM", &pid.to_string()], &[], None).await;
        }
        if tokio::time::timeout(Duration::from_secs(10), child.wait())
            .await
            .is_err()
        {
            let _ = child.kill().await;
        }
    }

    /// Runs a one-shot CLI command against the same database.
    pub async fn cli(&self, args: &[&str]) -> Out {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let bin = self.bin.to_string_lossy().into_owned();
        run(&bin, args, &env, None).await
    }

    /// Creates the organization and admin, and returns a personal access token.
    pub async fn bootstrap_token(&self) -> String {
        let out = self
            .cli(&[
                "admin",
                "create",
                "--org-name",
                "E2E Vendor",
                "--email",
                "e2e@example.com",
                "--name",
                "E2E Admin",
                "--generate-password",
                "--token-label",
                "e2e",
            ])
            .await;
        assert!(
            out.ok(),
            "admin create failed: {}{}",
            out.stdout,
            out.stderr
        );
        let json: serde_json::Value = out
            .stdout
            .lines()
            .rev()
            .find_map(|line| serde_json::from_str(line).ok())
            .expect("admin create prints JSON");
        json["accessToken"]
            .as_str()
            .expect("accessToken")
            .to_owned()
    }
}

/// `DISTR_HUB_BIN`, else the Hub beside the agent binary, else
/// `<workspace>/target*/debug/distr-hub`, else `cargo build -p distr-hub`.
pub async fn hub_binary(workspace: &Path, agent_bin: &Path) -> PathBuf {
    if let Some(bin) = std::env::var_os("DISTR_HUB_BIN") {
        return PathBuf::from(bin);
    }
    let target_dir = agent_bin.parent().expect("target/debug").to_owned();
    let beside = target_dir.join("distr-hub");
    let mut candidates = vec![beside.clone()];
    if let Ok(entries) = std::fs::read_dir(workspace) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with("target") {
                candidates.push(entry.path().join("debug/distr-hub"));
            }
        }
    }
    if let Some(found) = candidates.into_iter().find(|p| p.is_file()) {
        return found;
    }
    let target = target_dir
        .parent()
        .expect("cargo target dir")
        .to_string_lossy()
        .into_owned();
    let out = run(
        "cargo",
        &["build", "-p", "distr-hub", "--target-dir", &target],
        &[],
        None,
    )
    .await;
    assert!(out.ok(), "cargo build -p distr-hub failed: {}", out.stderr);
    beside
}
