//! Container list/inspect answers → [`ContainerState`] (AP §7.5 inputs).

use bollard::models::{ContainerInspectResponse, ContainerSummary};
use distr_domain::agent::ContainerState;

/// Label compose puts on every container of a project.
pub const COMPOSE_PROJECT_LABEL: &str = "com.docker.compose.project";

/// Label compose puts on containers of `docker compose run`.
pub const COMPOSE_ONEOFF_LABEL: &str = "com.docker.compose.oneoff";

/// Whether a container is a `docker compose run` one-off. Compose's own
/// `ps` leaves those out, so a finished one-off never fails the check.
#[must_use]
pub fn is_one_off(summary: &ContainerSummary) -> bool {
    summary
        .labels
        .as_ref()
        .and_then(|labels| labels.get(COMPOSE_ONEOFF_LABEL))
        .is_some_and(|value| value.eq_ignore_ascii_case("true"))
}

/// Maps one entry of `GET /containers/json`, refined by its inspect answer
/// when the caller has one (exact exit code and health).
///
/// Engines before API 1.52 send no `Health` in the list, so the health is
/// read from the status text (`Up 3 minutes (healthy)`) unless inspect or
/// the list itself says it; the exit code likewise comes from `Exited (3) …`.
#[must_use]
pub fn container_state(
    summary: &ContainerSummary,
    inspect: Option<&ContainerInspectResponse>,
) -> ContainerState {
    let status = summary.status.clone().unwrap_or_default();
    let inspected = inspect.and_then(|i| i.state.as_ref());
    let health = inspected
        .and_then(|s| s.health.as_ref())
        .and_then(|h| h.status)
        .map(|s| s.to_string())
        .or_else(|| {
            summary
                .health
                .as_ref()
                .and_then(|h| h.status)
                .map(|s| s.to_string())
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| health_from_status(&status).to_owned());
    let exit_code = inspected
        .and_then(|s| s.exit_code)
        .or_else(|| exit_code_from_status(&status))
        .unwrap_or(0);
    ContainerState {
        name: container_name(summary),
        state: summary.state.map(|s| s.to_string()).unwrap_or_default(),
        health,
        status,
        exit_code,
    }
}

/// The first name without its leading `/`, or the id when the engine sent no name.
#[must_use]
pub fn container_name(summary: &ContainerSummary) -> String {
    summary
        .names
        .as_ref()
        .and_then(|names| names.first())
        .map(|name| name.strip_prefix('/').unwrap_or(name).to_owned())
        .or_else(|| summary.id.clone())
        .unwrap_or_default()
}

/// `healthy`, `starting`, `unhealthy` from the parenthesised suffix of a
/// status text; empty when the container has no healthcheck.
#[must_use]
pub fn health_from_status(status: &str) -> &'static str {
    if status.ends_with("(health: starting)") {
        "starting"
    } else if status.ends_with("(unhealthy)") {
        "unhealthy"
    } else if status.ends_with("(healthy)") {
        "healthy"
    } else {
        ""
    }
}

/// `3` from `Exited (3) 5 seconds ago`.
#[must_use]
pub fn exit_code_from_status(status: &str) -> Option<i64> {
    let rest = status.strip_prefix("Exited (")?;
    let (code, _) = rest.split_once(')')?;
    code.parse().ok()
}

/// Whether the summary's exit code is worth an inspect call: a container
/// that is not running has a meaningful exit code and health.
#[must_use]
pub fn needs_inspect(summary: &ContainerSummary) -> bool {
    summary.state.is_some_and(|s| s.to_string() != "running")
}

#[cfg(test)]
mod tests;
