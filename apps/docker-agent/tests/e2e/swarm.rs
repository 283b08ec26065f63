//! A swarm stack on a single-node swarm: one deploy per revision, `healthy`,
//! force restart rolls the services, undeploy removes the stack.

use serde_json::json;

use crate::api::{b64, text};
use crate::docker::{docker, docker_sync, lines};
use crate::images::WEB_IMAGE;
use crate::setup::{self, CaseOptions, SOON, count_calls, project_of};

/// Any suite that inits or leaves the swarm takes this machine-wide lock
/// first (shared with the distr-docker-engine suite).
const SWARM_LOCK: &str = "/tmp/distr-docker-swarm.lock";

/// Leaves the swarm again, and removes the `docker_gwbridge` network that
/// `swarm init` created (leave keeps it).
struct SwarmGuard {
    remove_gwbridge: bool,
}

impl Drop for SwarmGuard {
    fn drop(&mut self) {
        docker_sync(&["swarm", "leave", "--force"]);
        if self.remove_gwbridge {
            docker_sync(&["network", "rm", "docker_gwbridge"]);
        }
    }
}

async fn swarm_state() -> String {
    docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"])
        .await
        .stdout
        .trim()
        .to_owned()
}

async fn service_tasks(stack: &str) -> Vec<String> {
    let filter = format!("label=com.docker.stack.namespace={stack}");
    let services = lines(
        &docker(&["service", "ls", "-q", "--filter", &filter])
            .await
            .stdout,
    );
    let mut tasks = Vec::new();
    for service in services {
        let out = docker(&[
            "service",
            "ps",
            "-q",
            "--no-trunc",
            "--filter",
            "desired-state=running",
            &service,
        ])
        .await;
        tasks.extend(lines(&out.stdout));
    }
    tasks
}

#[tokio::test]
async fn swarm_stack_deploys_once_per_revision_restarts_by_force_and_is_removed() {
    if std::env::var("DISTR_SWARM_TESTS").as_deref() != Ok("1") {
        eprintln!(
            "!!! SKIPPED swarm e2e: set DISTR_SWARM_TESTS=1 to let it `docker swarm init` the engine"
        );
        return;
    }
    let Some(case) = setup::start("swarm", CaseOptions::default()).await else {
        return;
    };
    let lock = tokio::task::spawn_blocking(|| {
        let file = std::fs::File::create(SWARM_LOCK).expect("swarm lock file");
        fs4::fs_std::FileExt::lock_exclusive(&file).expect("swarm lock");
        file
    })
    .await
    .expect("swarm lock task");
    let state = swarm_state().await;
    if state != "inactive" {
        eprintln!(
            "!!! SKIPPED swarm: the engine's swarm state is {state:?}; only an inactive engine is initialised and left again"
        );
        return;
    }
    let gwbridge_existed = docker(&["network", "inspect", "docker_gwbridge"])
        .await
        .ok();
    let mut init = docker(&["swarm", "init"]).await;
    if !init.ok() {
        // Several interfaces: the engine asks for an address; take the host's first.
        let hosts = crate::docker::run("hostname", &["-I"], &[], None)
            .await
            .stdout;
        let address = hosts
            .split_whitespace()
            .next()
            .unwrap_or("127.0.0.1")
            .to_owned();
        init = docker(&["swarm", "init", "--advertise-addr", &address]).await;
    }
    assert!(init.ok(), "docker swarm init: {}", init.stderr);
    let _swarm = SwarmGuard {
        remove_gwbridge: !gwbridge_existed,
    };

    let target = case.connect_new_target("e2e-swarm", &[]).await;
    let compose = format!(
        "services:\n  web:\n    image: {WEB_IMAGE}\n    environment:\n      GREETING: ${{GREETING}}\n    \
         deploy:\n      replicas: 1\n"
    );
    let (app, version) = case
        .api
        .create_application("stacked", "1.0.0", &compose)
        .await;
    let deployment = case
        .deploy(
            &target,
            &version,
            "GREETING=swarm\n",
            json!({"dockerType": "swarm"}),
        )
        .await;
    let id = text(&deployment, "id").to_owned();
    let stack = project_of(&id);
    case.track_stack(&stack);
    let first = case.wait_status(&id, "healthy", SOON).await;
    assert_eq!(
        text(&first["latestStatus"], "message"),
        "status check passed"
    );
    // A few more healthy ticks, and still exactly one stack deploy.
    let refreshed = text(&first["latestStatus"], "createdAt").to_owned();
    until!("another healthy status refresh", SOON, async {
        let d = case.api.deployment(&id).await;
        let now = text(&d["latestStatus"], "createdAt").to_owned();
        if now != refreshed && d["latestStatus"]["type"] == "healthy" {
            Ok(())
        } else {
            Err(now)
        }
    });
    assert_eq!(
        count_calls(&case.agent_calls().await, &["stack", "deploy"]),
        1
    );
    let tasks_before = service_tasks(&stack).await;
    assert_eq!(tasks_before.len(), 1, "{tasks_before:?}");

    // Force restart: a new revision deploys once more and rolls the tasks.
    let v2 = case.api.create_version(&app, "1.0.1", &compose).await;
    case.api
        .put_deployment(json!({
            "deploymentTargetId": target,
            "deploymentId": id,
            "applicationVersionId": v2,
            "envFileData": b64("GREETING=swarm\n"),
            "forceRestart": true,
        }))
        .await;
    until!("the service tasks to be replaced", SOON, async {
        let now = service_tasks(&stack).await;
        if now.len() == 1 && now != tasks_before {
            Ok(())
        } else {
            Err(format!("{now:?}"))
        }
    });
    case.wait_status(&id, "healthy", SOON).await;
    assert_eq!(
        count_calls(&case.agent_calls().await, &["stack", "deploy"]),
        2
    );

    // Undeploy removes the stack.
    case.api.delete_deployment(&id).await;
    until!("the stack to be removed", SOON, async {
        let stacks = docker(&["stack", "ls", "--format", "{{.Name}}"])
            .await
            .stdout;
        if lines(&stacks).contains(&stack) {
            Err(stacks)
        } else {
            Ok(())
        }
    });
    drop(lock);
}
