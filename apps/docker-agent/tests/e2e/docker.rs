//! Thin wrappers around the docker CLI on the host.

use std::process::Stdio;

pub use crate::process::{Out, run};

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
