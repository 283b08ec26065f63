//! Thin wrappers around the docker CLI on the host.

use std::process::Stdio;

use tokio::io::AsyncWriteExt as _;

/// A finished command.
#[derive(Debug)]
pub struct Out {
    /// Exit code (`-1` when killed by a signal or not started).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Out {
    /// Whether the command exited with 0.
    pub const fn ok(&self) -> bool {
        self.code == 0
    }
}

/// Runs `program args…` with extra environment and optional stdin.
pub async fn run(program: &str, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Out {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Out {
                code: -1,
                stdout: String::new(),
                stderr: format!("cannot start {program}: {e}"),
            };
        }
    };
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input).await.expect("write stdin");
        drop(pipe);
    }
    let output = child.wait_with_output().await.expect("wait for command");
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `docker args…`.
pub async fn docker(args: &[&str]) -> Out {
    run("docker", args, &[], None).await
}

/// `docker args…`, panicking with the output when it fails.
pub async fn docker_ok(args: &[&str]) -> String {
    let out = docker(args).await;
    assert!(
        out.ok(),
        "docker {args:?} failed: {}{}",
        out.stdout,
        out.stderr
    );
    out.stdout
}

/// `docker args…` from synchronous code (cleanup in `Drop`); output ignored.
pub fn docker_sync(args: &[&str]) -> String {
    std::process::Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map(|o| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        })
        .unwrap_or_default()
}

/// Whether the engine answers.
pub async fn engine_available() -> bool {
    docker(&["info", "--format", "{{.ServerVersion}}"])
        .await
        .ok()
}

/// Names of all containers (stopped ones too) of a compose project.
pub async fn project_containers(project: &str) -> Vec<String> {
    let filter = format!("label=com.docker.compose.project={project}");
    lines(
        &docker(&["ps", "-a", "--filter", &filter, "--format", "{{.Names}}"])
            .await
            .stdout,
    )
}

/// Ids of all containers (stopped ones too) of a compose project.
pub async fn project_container_ids(project: &str) -> Vec<String> {
    let filter = format!("label=com.docker.compose.project={project}");
    lines(
        &docker(&["ps", "-a", "-q", "--no-trunc", "--filter", &filter])
            .await
            .stdout,
    )
}

/// Whether a volume exists.
pub async fn volume_exists(name: &str) -> bool {
    docker(&["volume", "inspect", name]).await.ok()
}

/// `docker inspect --format <format> <object>`, trimmed; `None` if absent.
pub async fn inspect(object: &str, format: &str) -> Option<String> {
    let out = docker(&["inspect", "--format", format, object]).await;
    out.ok().then(|| out.stdout.trim().to_owned())
}

/// The environment of a running container as `KEY=value` lines.
pub async fn container_env(container: &str) -> Vec<String> {
    lines(&docker_ok(&["exec", container, "env"]).await)
}

/// Non-empty trimmed lines.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}
