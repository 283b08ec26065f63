//! A throwaway PostgreSQL cluster for tests: started once per test process,
//! one fresh database per test, gone when the process exits.
//!
//! With `PG_TEST_URL` set (`postgres://user:pass@host:port/db`), that server is
//! used instead and nothing is started; databases created there are left
//! behind unless dropped with [`PgCluster::drop_database`].

mod command;
mod url;

use std::fmt;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use command::{
    bindir, client, ensure_postgres_user, run, run_async, running_as_root, server_command,
};

/// Why the cluster could not be started or a database created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PgError {
    /// A program failed or could not be run.
    #[error("{program} failed: {detail}")]
    Command {
        /// The program.
        program: String,
        /// Exit status and output.
        detail: String,
    },
    /// A file-system operation failed.
    #[error("I/O error: {0}")]
    Io(String),
    /// `PG_TEST_URL` is not a `postgres://` URL.
    #[error("invalid PG_TEST_URL: {0}")]
    InvalidUrl(String),
}

impl From<std::io::Error> for PgError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e.to_string())
    }
}

/// Server settings that trade durability for speed; a test cluster never needs to survive a crash.
const SERVER_OPTIONS: &str = "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
                              -c full_page_writes=off -c max_connections=200";

/// Stops the cluster and removes its directory once the test process is gone.
/// Arguments: test pid, pg_ctl path, cluster dir, `1` to run pg_ctl as `postgres`.
const WATCHDOG: &str = r#"
while kill -0 "$1" 2>/dev/null; do sleep 1; done
if [ "$4" = 1 ]; then
  runuser -u postgres -- "$2" -D "$3/data" -m immediate stop
else
  "$2" -D "$3/data" -m immediate stop
fi
rm -rf "$3"
"#;

enum Server {
    Local {
        bindir: PathBuf,
        dir: PathBuf,
        port: u16,
    },
    External {
        bindir: Option<PathBuf>,
        url: String,
    },
}

/// A PostgreSQL 15 server tests can create databases on.
pub struct PgCluster {
    server: Server,
}

impl fmt::Debug for PgCluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.server {
            Server::Local { dir, port, .. } => f
                .debug_struct("PgCluster")
                .field("dir", dir)
                .field("port", port)
                .finish(),
            // The URL may carry a password.
            Server::External { .. } => f.write_str("PgCluster(PG_TEST_URL)"),
        }
    }
}

static SHARED: OnceLock<Result<PgCluster, PgError>> = OnceLock::new();

impl PgCluster {
    /// The cluster of this test process, started on first use (2–3 s), or
    /// the server named by `PG_TEST_URL`. Blocks while starting.
    ///
    /// # Errors
    /// When PostgreSQL is not installed or fails to start; every later call
    /// returns the same error.
    pub fn shared() -> Result<&'static Self, PgError> {
        SHARED
            .get_or_init(Self::start)
            .as_ref()
            .map_err(Clone::clone)
    }

    fn start() -> Result<Self, PgError> {
        if let Some(url) = std::env::var("PG_TEST_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            url::with_database(&url, "postgres")?;
            return Ok(Self {
                server: Server::External {
                    bindir: bindir().ok(),
                    url,
                },
            });
        }
        let bindir = bindir()?;
        let as_postgres = running_as_root()?;
        if as_postgres {
            ensure_postgres_user()?;
        }
        let dir = tempfile::Builder::new()
            .prefix("distr-pg-")
            .tempdir()?
            .keep();
        // The watchdog comes first so that even a half-started cluster is cleaned up.
        spawn_watchdog(&bindir.join("pg_ctl"), &dir, as_postgres)?;
        if as_postgres {
            run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let mut initdb = server_command(as_postgres, &bindir.join("initdb"));
        initdb.arg("-D").arg(dir.join("data"));
        initdb.args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        ]);
        run(&mut initdb)?;

        let mut last_error = None;
        // A free port can be taken between probing and binding: retry with another.
        for _ in 0..3 {
            let port = free_port()?;
            match start_server(&bindir, &dir, port, as_postgres) {
                Ok(()) => {
                    return Ok(Self {
                        server: Server::Local { bindir, dir, port },
                    });
                }
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| PgError::Io("server did not start".to_owned())))
    }

    /// The TCP port of a locally started cluster (`None` with `PG_TEST_URL`).
    #[must_use]
    pub fn port(&self) -> Option<u16> {
        match &self.server {
            Server::Local { port, .. } => Some(*port),
            Server::External { .. } => None,
        }
    }

    /// The URL of database `name` on this server.
    ///
    /// # Errors
    /// `InvalidUrl` when `PG_TEST_URL` is malformed.
    pub fn url_of(&self, name: &str) -> Result<String, PgError> {
        match &self.server {
            Server::Local { port, .. } => {
                Ok(format!("postgres://postgres@127.0.0.1:{port}/{name}"))
            }
            Server::External { url, .. } => url::with_database(url, name),
        }
    }

    /// Creates a fresh, empty database and returns its `postgres://` URL.
    ///
    /// # Errors
    /// When `createdb` fails.
    pub async fn create_database(&self) -> Result<String, PgError> {
        self.create(None).await
    }

    /// Creates a fresh database as a copy of `template` (e.g. one migrated
    /// once per process) and returns its URL. Nobody may be connected to
    /// `template` meanwhile.
    ///
    /// # Errors
    /// When `createdb` fails.
    pub async fn create_database_from_template(&self, template: &str) -> Result<String, PgError> {
        self.create(Some(template)).await
    }

    /// Creates database `name` (for a template to migrate) and returns its URL.
    ///
    /// # Errors
    /// When `createdb` fails, e.g. because it exists.
    pub async fn create_named_database(&self, name: &str) -> Result<String, PgError> {
        let mut createdb = self.client("createdb")?;
        createdb.arg(name);
        run_async(&mut createdb).await?;
        self.url_of(name)
    }

    /// Drops database `name`, disconnecting its sessions; a missing one is fine.
    ///
    /// # Errors
    /// When `dropdb` fails.
    pub async fn drop_database(&self, name: &str) -> Result<(), PgError> {
        let mut dropdb = self.client("dropdb")?;
        dropdb.args(["--if-exists", "--force", name]);
        run_async(&mut dropdb).await.map(drop)
    }

    async fn create(&self, template: Option<&str>) -> Result<String, PgError> {
        let name = format!("distr_{}", uuid::Uuid::new_v4().simple());
        let mut createdb = self.client("createdb")?;
        if let Some(template) = template {
            createdb.args(["--template", template]);
        }
        createdb.arg(&name);
        run_async(&mut createdb).await?;
        self.url_of(&name)
    }

    /// A client program connected to the server's maintenance database.
    fn client(&self, program: &str) -> Result<tokio::process::Command, PgError> {
        let mut command = match &self.server {
            Server::Local { bindir, port, .. } => {
                let mut c = client(Some(bindir), program);
                c.args(["-h", "127.0.0.1", "-U", "postgres", "-p", &port.to_string()]);
                c
            }
            Server::External { bindir, url } => {
                let mut c = client(bindir.as_deref(), program);
                c.arg(format!(
                    "--maintenance-db={}",
                    url::with_database(url, "postgres")?
                ));
                c
            }
        };
        command.stdin(Stdio::null()).kill_on_drop(true);
        Ok(command)
    }
}

fn free_port() -> Result<u16, PgError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn spawn_watchdog(pg_ctl: &Path, dir: &Path, as_postgres: bool) -> Result<(), PgError> {
    use std::os::unix::process::CommandExt as _;
    let mut watchdog = Command::new("sh");
    watchdog
        .args([
            "-c",
            WATCHDOG,
            "distr-pg-watchdog",
            &std::process::id().to_string(),
        ])
        .arg(pg_ctl)
        .arg(dir)
        .arg(if as_postgres { "1" } else { "0" })
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group: a Ctrl-C to the test run must not kill the cleanup.
        .process_group(0);
    // Never waited for: it outlives this process by design.
    drop(watchdog.spawn().map_err(|e| PgError::Command {
        program: "sh".to_owned(),
        detail: e.to_string(),
    })?);
    Ok(())
}

fn start_server(bindir: &Path, dir: &Path, port: u16, as_postgres: bool) -> Result<(), PgError> {
    let mut pg_ctl = server_command(as_postgres, &bindir.join("pg_ctl"));
    pg_ctl
        .arg("-D")
        .arg(dir.join("data"))
        .arg("-l")
        .arg(dir.join("log"))
        .args(["-w", "-t", "60", "-o"])
        .arg(format!("-p {port} -k {} {SERVER_OPTIONS}", dir.display()))
        .arg("start")
        .stdin(Stdio::null());
    run(&mut pg_ctl).map(drop).map_err(|e| {
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(10).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        PgError::Command {
            program: "pg_ctl start".to_owned(),
            detail: format!("{e}; log: {}", tail.join(" | ")),
        }
    })
}
