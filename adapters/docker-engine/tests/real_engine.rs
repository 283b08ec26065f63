//! Against the real engine (API 1.41 here): compose-like containers made with
//! the docker CLI, their logs, and a swarm stack. Skipped loudly without an
//! engine; `DISTR_REQUIRE_DOCKER=1` turns the skip into a failure.

#[path = "real_engine/support.rs"]
mod support;
#[path = "real_engine/swarm.rs"]
mod swarm;

use std::time::Duration;

use chrono::Utc;
use distr_docker_engine::BollardEngine;
use distr_domain::agent::DockerRecord;
use distr_domain::deployment::DockerType;
use distr_ports::agent::DockerEngine;
use support::{Cleanup, IMAGE, SUITE_LABEL, docker, engine_available, ensure_image, eventually};

fn run_in_project(project: &str, service: &str, extra: &[&str], command: &[&str]) {
    let name = format!("{project}-{service}-1");
    let label = format!("com.docker.compose.project={project}");
    let mut args = vec![
        "run",
        "-d",
        "--label",
        &label,
        "--label",
        SUITE_LABEL,
        "--name",
        &name,
    ];
    args.extend_from_slice(extra);
    args.push(IMAGE);
    args.extend_from_slice(command);
    docker(&args).unwrap();
}

pub fn record(project: &str, docker_type: DockerType) -> DockerRecord {
    DockerRecord {
        id: uuid::Uuid::new_v4().into(),
        revision_id: uuid::Uuid::new_v4().into(),
        project_name: project.to_owned(),
        docker_type,
        logs_enabled: true,
    }
}

#[tokio::test]
async fn compose_containers_report_health_state_and_exit_code() {
    if !engine_available("compose_containers_report_health_state_and_exit_code") {
        return;
    }
    ensure_image();
    let project = support::unique_project("dte");
    let _cleanup = Cleanup {
        project: project.clone(),
    };
    let other = support::unique_project("dte");
    let _cleanup_other = Cleanup {
        project: other.clone(),
    };
    run_in_project(
        &project,
        "web",
        &["--health-cmd", "true", "--health-interval", "1s"],
        &["sleep", "300"],
    );
    run_in_project(&project, "job", &[], &["sh", "-c", "echo done; exit 3"]);
    run_in_project(&project, "plain", &[], &["sleep", "300"]);
    run_in_project(&other, "web", &[], &["sleep", "300"]);
    // A finished `docker compose run` container: compose's ps leaves it out.
    run_in_project(
        &project,
        "web-run-0a1b",
        &["--label", "com.docker.compose.oneoff=True"],
        &["sh", "-c", "exit 1"],
    );

    let engine = BollardEngine::connect().unwrap();
    let web_name = format!("{project}-web-1");
    let states = eventually(Duration::from_secs(30), || async {
        let states = engine.project_containers(&project).await.unwrap();
        let ready = states
            .iter()
            .any(|s| s.name == web_name && s.health == "healthy")
            && states.iter().any(|s| s.state == "exited");
        ready.then_some(states)
    })
    .await
    .expect("web-1 healthy and job-1 exited within 30 s");

    assert_eq!(states.len(), 3, "{states:?}");
    let job = states
        .iter()
        .find(|s| s.name == format!("{project}-job-1"))
        .unwrap();
    assert_eq!(
        (job.state.as_str(), job.exit_code),
        ("exited", 3),
        "{job:?}"
    );
    assert!(job.status.starts_with("Exited (3)"), "{job:?}");
    let plain = states
        .iter()
        .find(|s| s.name == format!("{project}-plain-1"))
        .unwrap();
    assert_eq!(
        (plain.state.as_str(), plain.health.as_str()),
        ("running", ""),
        "{plain:?}"
    );
    let web = states.iter().find(|s| s.name == web_name).unwrap();
    assert!(web.status.ends_with("(healthy)"), "{web:?}");
}

#[tokio::test]
async fn project_without_containers_lists_none() {
    if !engine_available("project_without_containers_lists_none") {
        return;
    }
    let engine = BollardEngine::connect().unwrap();
    let project = support::unique_project("dte");
    assert!(
        engine
            .project_containers(&project)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn compose_logs_since_a_time_hold_only_later_lines_with_timestamps() {
    if !engine_available("compose_logs_since_a_time_hold_only_later_lines_with_timestamps") {
        return;
    }
    ensure_image();
    let project = support::unique_project("dte");
    let _cleanup = Cleanup {
        project: project.clone(),
    };
    run_in_project(
        &project,
        "web",
        &[],
        &[
            "sh",
            "-c",
            "echo before; sleep 2; echo after; echo oops >&2; sleep 300",
        ],
    );
    let engine = BollardEngine::connect().unwrap();
    let record = record(&project, DockerType::Compose);
    let epoch = chrono::DateTime::UNIX_EPOCH;
    eventually(Duration::from_secs(20), || async {
        let lines = engine.logs_since(&record, epoch).await.unwrap();
        lines
            .iter()
            .any(|l| l.line.ends_with(" before"))
            .then_some(())
    })
    .await
    .expect("the first line within 20 s");
    let since = Utc::now();

    let lines = eventually(Duration::from_secs(20), || async {
        let lines = engine.logs_since(&record, since).await.unwrap();
        (lines.len() >= 2).then_some(lines)
    })
    .await
    .expect("later lines within 20 s");

    let bodies: Vec<&str> = lines
        .iter()
        .map(|l| l.line.split_once(' ').unwrap().1)
        .collect();
    assert_eq!(bodies.len(), 2, "{lines:?}");
    assert!(
        bodies.contains(&"after") && bodies.contains(&"oops"),
        "{lines:?}"
    );
    for line in &lines {
        assert_eq!(
            (line.resource.as_str(), line.severity.as_str()),
            ("web-1", "Log")
        );
        let stamp = line.line.split_once(' ').unwrap().0;
        let at = chrono::DateTime::parse_from_rfc3339(stamp).unwrap();
        assert!(at >= since, "{line:?} is before {since}");
    }
}

#[tokio::test]
async fn swarm_services_report_counts_jobs_and_split_logs() {
    if !engine_available("swarm_services_report_counts_jobs_and_split_logs") {
        return;
    }
    ensure_image();
    swarm::run().await;
}
