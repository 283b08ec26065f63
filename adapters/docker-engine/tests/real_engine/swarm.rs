//! The swarm parts, in one test function: swarm init/leave is engine-wide,
//! so it runs once, under a machine-wide lock file shared with other suites.

use std::fs::File;
use std::time::Duration;

use chrono::Utc;
use distr_docker_engine::BollardEngine;
use distr_domain::deployment::DockerType;
use distr_ports::agent::DockerEngine;
use fs4::fs_std::FileExt;

use crate::support::{Cleanup, IMAGE, SUITE_LABEL, docker, eventually, unique_project};

/// Any suite that inits or leaves the swarm takes this lock first.
const SWARM_LOCK: &str = "/tmp/distr-docker-swarm.lock";

/// Leaves the swarm on drop when this test initialised it, and removes the
/// `docker_gwbridge` network that `swarm init` created (leave keeps it).
struct SwarmGuard {
    initialised: bool,
    remove_gwbridge: bool,
}

impl Drop for SwarmGuard {
    fn drop(&mut self) {
        if self.initialised {
            let _ = docker(&["swarm", "leave", "--force"]);
            if self.remove_gwbridge {
                let _ = docker(&["network", "rm", "docker_gwbridge"]);
            }
        }
    }
}

fn create_service(project: &str, service: &str, extra: &[&str], command: &[&str]) {
    let name = format!("{project}_{service}");
    let label = format!("com.docker.stack.namespace={project}");
    let mut args = vec![
        "service",
        "create",
        "--detach",
        "--name",
        &name,
        "--label",
        &label,
        "--label",
        SUITE_LABEL,
    ];
    args.extend_from_slice(extra);
    args.push(IMAGE);
    args.extend_from_slice(command);
    docker(&args).unwrap();
}

pub async fn run() {
    let lock = File::create(SWARM_LOCK).unwrap();
    lock.lock_exclusive().unwrap();
    let state = docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"]).unwrap();
    let gwbridge_existed = docker(&["network", "inspect", "docker_gwbridge"]).is_ok();
    let initialised = match state.trim() {
        "active" => false,
        "inactive" => {
            docker(&["swarm", "init", "--advertise-addr", "127.0.0.1"]).unwrap();
            true
        }
        other => panic!("swarm node state {other:?}: refusing to change it"),
    };
    // Declared after the swarm guard so services go first, then the swarm.
    let _swarm = SwarmGuard {
        initialised,
        remove_gwbridge: !gwbridge_existed,
    };
    let project = unique_project("dts");
    let _cleanup = Cleanup {
        project: project.clone(),
    };
    let started = Utc::now();

    create_service(
        &project,
        "web",
        &[],
        &["sh", "-c", "echo out; echo err >&2; sleep 300"],
    );
    // Unsatisfiable placement: desired 2, never running.
    create_service(
        &project,
        "stuck",
        &[
            "--replicas",
            "2",
            "--constraint",
            "node.labels.distr-test-never==1",
        ],
        &["sleep", "300"],
    );
    create_service(&project, "once", &["--mode", "replicated-job"], &["true"]);

    let engine = BollardEngine::connect().unwrap();
    let web = format!("{project}_web");
    let services = eventually(Duration::from_secs(60), || async {
        let services = engine.stack_services(&project).await.unwrap();
        let up = services.iter().any(|s| s.name == web && s.running == 1);
        up.then_some(services)
    })
    .await
    .expect("web service running within 60 s");

    assert_eq!(services.len(), 3, "{services:?}");
    let web_state = services.iter().find(|s| s.name == web).unwrap();
    assert_eq!(
        (web_state.desired, web_state.is_job),
        (1, false),
        "{web_state:?}"
    );
    let stuck = services
        .iter()
        .find(|s| s.name == format!("{project}_stuck"))
        .unwrap();
    assert_eq!(
        (stuck.running, stuck.desired, stuck.is_job),
        (0, 2, false),
        "{stuck:?}"
    );
    let once = services
        .iter()
        .find(|s| s.name == format!("{project}_once"))
        .unwrap();
    assert!(once.is_job, "{once:?}");

    let record = crate::record(&project, DockerType::Swarm);
    let lines = eventually(Duration::from_secs(30), || async {
        let lines = engine.logs_since(&record, started).await.unwrap();
        let both = lines
            .iter()
            .any(|l| l.severity == "stdout" && l.line.ends_with(" out"))
            && lines
                .iter()
                .any(|l| l.severity == "stderr" && l.line.ends_with(" err"));
        both.then_some(lines)
    })
    .await
    .expect("stdout and stderr lines of the web service within 30 s");
    let web_lines: Vec<_> = lines.iter().filter(|l| l.resource == web).collect();
    assert_eq!(web_lines.len(), 2, "{lines:?}");
}
