//! Running the real `distr-hub` binary: one-shot commands, and `serve`
//! processes a test waits for, signals and reads the logs of. Every process
//! starts in the given directory with an empty environment.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_distr-hub");

/// The binary, started in `dir` with an empty environment and no stdin.
pub fn hub(dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command.env_clear().current_dir(dir).stdin(Stdio::null());
    command
}

/// Runs a one-shot command to completion.
pub fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    hub(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// `admin create` for `ada@example.com` with a generated password and a PAT;
/// returns its JSON (`organizationId`, `password`, `accessToken`, …).
pub fn create_admin(dir: &Path, env: &[(&str, &str)]) -> Value {
    let out = run(
        dir,
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
            "--token-label",
            "ci",
        ],
        env,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The status code of `GET path`, or `None` while nothing listens.
pub fn get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    text.split_whitespace().nth(1)?.parse().ok()
}

/// A running `distr-hub serve` on `127.0.0.1:<port>`, its stdout and stderr
/// in one log file. Dropping it kills a process still running, so a failed
/// assertion leaves nothing behind.
pub struct Serve {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    log: PathBuf,
}

impl Serve {
    /// Starts `serve` on a free port (also its `DISTR_HOST`, unless `env`
    /// sets one) without waiting for it.
    pub fn start(dir: &Path, env: &[(&str, &str)]) -> Self {
        Self::start_on(dir, free_port(), env)
    }

    /// [`Serve::start`] on a given port (a restart keeps its address).
    pub fn start_on(dir: &Path, port: u16, env: &[(&str, &str)]) -> Self {
        let log = dir.join(format!(
            "serve-{port}-{}.log",
            uuid::Uuid::new_v4().simple()
        ));
        let file = File::create(&log).unwrap();
        let child = hub(dir)
            .arg("serve")
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("DISTR_HOST", format!("http://127.0.0.1:{port}"))
            .envs(env.iter().copied())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap();
        Self { child, port, log }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until `/ready` answers 200, failing (with the logs) when the
    /// process exits first or `within` passes.
    pub fn wait_ready(&mut self, within: Duration) {
        let started = Instant::now();
        while get_status(self.port, "/ready") != Some(200) {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("serve exited early ({status}): {}", self.logs());
            }
            assert!(
                started.elapsed() < within,
                "not ready within {within:?}: {}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Sends `signal` (`TERM`, `INT`) to the process.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// The exit code, waiting at most `within` (then failing).
    pub fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                started.elapsed() < within,
                "still running after {within:?}: {}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then an exit with code 0 within 10 s.
    pub fn stop(&mut self) {
        self.signal("TERM");
        assert_eq!(
            self.wait_exit(Duration::from_secs(10)),
            Some(0),
            "{}",
            self.logs()
        );
    }

    /// Everything the process printed so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The JSON log lines printed so far (other lines are skipped).
    pub fn log_lines(&self) -> Vec<Value> {
        self.logs()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
