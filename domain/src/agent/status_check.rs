//! Status checks of an unchanged revision (AP §7.5), with the exact texts.

use crate::agent::{ContainerState, ServiceState};
use crate::deployment::StatusType;

/// Classifies the containers of a compose project (stopped ones included).
///
/// The first container that is neither running nor restarting, or that runs
/// with a bad health, decides `error` at once.
#[must_use]
pub fn classify_compose(containers: &[ContainerState]) -> (StatusType, String) {
    if containers.is_empty() {
        return (
            StatusType::Running,
            "deployment has no containers".to_owned(),
        );
    }
    let (mut healthy, mut unchecked, mut starting) = (0usize, 0usize, 0usize);
    for c in containers {
        match (c.state.as_str(), c.health.as_str()) {
            ("restarting", _) | ("running", "starting") => starting += 1,
            ("running", "healthy") => healthy += 1,
            ("running", "" | "none") => unchecked += 1,
            ("running", health) => {
                return (
                    StatusType::Error,
                    format!(
                        "service {} is not healthy: state={}, health={health}, status={}, exitCode={}",
                        c.name, c.state, c.status, c.exit_code
                    ),
                );
            }
            (state, _) => {
                return (
                    StatusType::Error,
                    format!(
                        "service {} is not in running state: state={state}, status={}, exitCode={}",
                        c.name, c.status, c.exit_code
                    ),
                );
            }
        }
    }
    let parts: Vec<String> = [
        (healthy, "healthy"),
        (unchecked, "running (healthchecks missing)"),
        (starting, "starting"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let status_type = if starting > 0 {
        StatusType::Progressing
    } else if unchecked > 0 {
        StatusType::Running
    } else {
        StatusType::Healthy
    };
    (
        status_type,
        format!("status check results: {}", parts.join(", ")),
    )
}

/// Classifies the services of a swarm stack; job-mode services are skipped.
#[must_use]
pub fn classify_swarm(services: &[ServiceState]) -> (StatusType, String) {
    for s in services.iter().filter(|s| !s.is_job) {
        if s.running < s.desired {
            return (
                StatusType::Error,
                format!(
                    "service {} is not running: running={}, desired={}",
                    s.name, s.running, s.desired
                ),
            );
        }
    }
    (StatusType::Healthy, "status check passed".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(name: &str, state: &str, health: &str) -> ContainerState {
        ContainerState {
            name: name.to_owned(),
            state: state.to_owned(),
            health: health.to_owned(),
            status: "Up 3 minutes".to_owned(),
            exit_code: 0,
        }
    }

    fn service(name: &str, is_job: bool, running: u64, desired: u64) -> ServiceState {
        ServiceState {
            name: name.to_owned(),
            is_job,
            running,
            desired,
        }
    }

    #[test]
    fn a_project_without_containers_is_running() {
        assert_eq!(
            classify_compose(&[]),
            (
                StatusType::Running,
                "deployment has no containers".to_owned()
            )
        );
    }

    #[test]
    fn one_container_without_healthcheck_is_running() {
        assert_eq!(
            classify_compose(&[container("distr-1-web-1", "running", "")]),
            (
                StatusType::Running,
                "status check results: 1 running (healthchecks missing)".to_owned()
            )
        );
    }

    #[test]
    fn counts_are_listed_in_fixed_order_and_starting_means_progressing() {
        let containers = [
            container("a", "restarting", ""),
            container("b", "running", "none"),
            container("c", "running", "healthy"),
            container("d", "running", "healthy"),
            container("e", "running", "starting"),
        ];
        assert_eq!(
            classify_compose(&containers),
            (
                StatusType::Progressing,
                "status check results: 2 healthy, 1 running (healthchecks missing), 2 starting"
                    .to_owned()
            )
        );
    }

    #[test]
    fn all_healthy_containers_are_healthy() {
        let containers = [container("a", "running", "healthy")];
        assert_eq!(
            classify_compose(&containers),
            (
                StatusType::Healthy,
                "status check results: 1 healthy".to_owned()
            )
        );
    }

    #[test]
    fn an_exited_container_is_an_error_with_its_details() {
        let mut exited = container("distr-1-job-1", "exited", "");
        exited.status = "Exited (0) 2 minutes ago".to_owned();
        let containers = [container("a", "running", "healthy"), exited];
        assert_eq!(
            classify_compose(&containers),
            (
                StatusType::Error,
                "service distr-1-job-1 is not in running state: state=exited, status=Exited (0) 2 minutes ago, exitCode=0".to_owned()
            )
        );
    }

    #[test]
    fn an_unhealthy_container_is_an_error_with_its_health() {
        let mut sick = container("web", "running", "unhealthy");
        sick.exit_code = 3;
        assert_eq!(
            classify_compose(&[sick]).1,
            "service web is not healthy: state=running, health=unhealthy, status=Up 3 minutes, exitCode=3"
        );
    }

    #[test]
    fn a_swarm_service_below_its_desired_tasks_is_an_error() {
        let services = [service("s_ok", false, 2, 2), service("s_web", false, 0, 1)];
        assert_eq!(
            classify_swarm(&services),
            (
                StatusType::Error,
                "service s_web is not running: running=0, desired=1".to_owned()
            )
        );
    }

    #[test]
    fn swarm_jobs_are_skipped_and_the_rest_passes() {
        let services = [service("s_job", true, 0, 1), service("s_web", false, 3, 2)];
        assert_eq!(
            classify_swarm(&services),
            (StatusType::Healthy, "status check passed".to_owned())
        );
    }
}
