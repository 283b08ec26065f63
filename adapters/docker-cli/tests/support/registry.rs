//! A throwaway private registry for real-engine tests: Debian's
//! `docker-registry` with htpasswd basic auth on `127.0.0.1:<free port>`
//! (the engine treats loopback registries as plain HTTP), killed on drop.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running registry, killed (and its storage removed) on drop.
pub struct Registry {
    child: Child,
    _dir: tempfile::TempDir,
    /// `127.0.0.1:<port>`: the host part of image references.
    pub host: String,
}

/// Why no registry could be started; the caller decides whether that skips.
#[derive(Debug)]
pub struct Unavailable(pub String);

/// Whether `program` can be started at all.
fn installed(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Errors only when `docker-registry` or `htpasswd` is missing; once both
/// exist, a registry that does not come up is a test failure (panic).
pub fn start(user: &str, password: &str) -> Result<Registry, Unavailable> {
    if !installed("docker-registry", "--version") {
        return Err(Unavailable(
            "`docker-registry` is not installed (Debian package docker-registry)".to_owned(),
        ));
    }
    if !installed("htpasswd", "-h") {
        return Err(Unavailable(
            "`htpasswd` is not installed (Debian package apache2-utils)".to_owned(),
        ));
    }
    let dir = tempfile::tempdir().expect("registry dir");
    let hash = Command::new("htpasswd")
        .args(["-Bbn", user, password])
        .output()
        .expect("run htpasswd");
    assert!(
        hash.status.success(),
        "htpasswd: {}",
        String::from_utf8_lossy(&hash.stderr)
    );
    std::fs::write(dir.path().join("htpasswd"), hash.stdout).expect("htpasswd file");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let host = format!("127.0.0.1:{port}");
    let config_path = dir.path().join("config.yml");
    std::fs::write(&config_path, config(dir.path(), &host)).expect("registry config");
    let child = Command::new("docker-registry")
        .arg("serve")
        .arg(&config_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start docker-registry");
    // Built before waiting so that a registry that never answers is killed.
    let registry = Registry {
        child,
        _dir: dir,
        host,
    };
    registry.wait_until_it_demands_credentials(Duration::from_secs(30));
    Ok(registry)
}

fn config(root: &Path, host: &str) -> String {
    format!(
        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {root}/data\nhttp:\n  addr: {host}\n\
         auth:\n  htpasswd:\n    realm: distr-test\n    path: {root}/htpasswd\n",
        root = root.display()
    )
}

impl Registry {
    /// Polls `GET /v2/` until it answers 401: up, and with auth on.
    fn wait_until_it_demands_credentials(&self, within: Duration) {
        let deadline = Instant::now() + within;
        let mut last = String::new();
        while Instant::now() < deadline {
            match self.status_line() {
                Ok(line) if line.contains(" 401 ") => return,
                Ok(line) => last = line,
                Err(e) => last = e.to_string(),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("registry {} did not answer 401 on /v2/: {last}", self.host);
    }

    fn status_line(&self) -> std::io::Result<String> {
        let mut stream = TcpStream::connect(&self.host)?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        write!(
            stream,
            "GET /v2/ HTTP/1.0\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host
        )?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        Ok(response.lines().next().unwrap_or_default().to_owned())
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
