//! One end-to-end case: the global lock, a fresh Hub, a PAT, the connected
//! agent, and cleanup of everything the case created, also when it fails.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::MutexGuard;

use crate::api::{Api, b64, text};
use crate::docker::{docker, docker_sync, engine_available, lines, run};
use crate::hub::{Hub, HubOptions};
use crate::images::{AGENT_REPOSITORY, AGENT_V1, AGENT_V2, CALL_LOG, artifacts};

/// The agent container's name (project `distr`, service `agent`).
pub const AGENT_CONTAINER: &str = "distr-agent-1";

static ENGINE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Serializes end-to-end runs across processes too: the agent container name
/// `distr-agent-1` is unique per engine.
const MACHINE_LOCK: &str = "/tmp/distr-docker-agent-e2e.lock";

/// Generous bound for anything the agent does within a few ticks.
pub const SOON: Duration = Duration::from_secs(90);

/// Case options.
#[derive(Debug, Clone)]
pub struct CaseOptions {
    /// `HEALTH_STALE_AFTER` of the Hub.
    pub stale_after: &'static str,
    /// `DISTR_HOST` of the Hub, when agents go through a proxy.
    pub distr_host: Option<String>,
}

impl Default for CaseOptions {
    fn default() -> Self {
        Self {
            stale_after: "60s",
            distr_host: None,
        }
    }
}

/// A running case. Dropping it removes the agent, every tracked compose
/// project and stack, and stops the Hub.
#[derive(Debug)]
pub struct Case {
    /// The Hub process.
    pub hub: Hub,
    /// The user API with the admin's PAT.
    pub api: Api,
    projects: Mutex<Vec<String>>,
    stacks: Mutex<Vec<String>>,
    _machine: std::fs::File,
    _engine: MutexGuard<'static, ()>,
}

/// Takes the engine lock and starts a case, or returns `None` (skip) when
/// the engine is unavailable and `DISTR_REQUIRE_DOCKER` is not `1`.
pub async fn start(name: &str, options: CaseOptions) -> Option<Case> {
    let engine = ENGINE.lock().await;
    if !engine_available().await {
        let required = std::env::var("DISTR_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
        assert!(!required, "DISTR_REQUIRE_DOCKER=1 but `docker info` fails");
        eprintln!(
            "!!! SKIPPED {name}: `docker info` fails (set DISTR_REQUIRE_DOCKER=1 to fail instead)"
        );
        return None;
    }
    let machine = tokio::task::spawn_blocking(|| {
        let file = std::fs::File::create(MACHINE_LOCK).expect("e2e lock file");
        fs4::fs_std::FileExt::lock_exclusive(&file).expect("e2e lock");
        file
    })
    .await
    .expect("e2e lock task");
    let artifacts = artifacts().await;
    remove_agent().await;
    let hub = Hub::start(
        &artifacts.hub_bin,
        HubOptions {
            agent_version: AGENT_V1.to_owned(),
            agent_repository: AGENT_REPOSITORY.to_owned(),
            stale_after: options.stale_after.to_owned(),
            distr_host: options.distr_host,
        },
    )
    .await;
    let token = hub.bootstrap_token().await;
    let api = Api::new(&hub.base(), &token);
    Some(Case {
        hub,
        api,
        projects: Mutex::new(Vec::new()),
        stacks: Mutex::new(Vec::new()),
        _machine: machine,
        _engine: engine,
    })
}

async fn remove_agent() {
    let out = docker(&["compose", "-p", "distr", "down", "-v", "--remove-orphans"]).await;
    assert!(out.ok(), "cannot remove the agent project: {}", out.stderr);
    remove_update_helpers();
}

/// Removes self-update helpers (and any other container) left from the test
/// agent images; they carry no compose labels.
fn remove_update_helpers() {
    for version in [AGENT_V1, AGENT_V2] {
        let filter = format!("ancestor={AGENT_REPOSITORY}:{version}");
        for id in lines(&docker_sync(&["ps", "-aq", "--filter", &filter])) {
            docker_sync(&["rm", "-f", &id]);
        }
    }
}

/// The compose project (and stack) name of a deployment: `distr-<first 8>`.
pub fn project_of(deployment_id: &str) -> String {
    format!("distr-{}", deployment_id.get(..8).unwrap_or(deployment_id))
}

impl Case {
    /// Creates a target and connects an agent to it exactly as a customer
    /// does (the access request's `connectCommand` in `sh`), then waits until
    /// the Hub shows it `connected`. Returns the target id.
    pub async fn connect_new_target(&self, name: &str, extra_env: &[(&str, &str)]) -> String {
        let target_id = self.api.create_target(name).await;
        self.connect(&target_id, extra_env).await;
        target_id
    }

    /// Runs a fresh access request's connect command for the target.
    pub async fn connect(&self, target_id: &str, extra_env: &[(&str, &str)]) {
        let access = self.api.access_request(target_id).await;
        let command = text(&access, "connectCommand").to_owned();
        assert!(
            command.contains("| docker compose -f - up -d"),
            "unexpected connect command: {command}"
        );
        let out = run("sh", &["-c", &command], extra_env, None).await;
        assert!(
            out.ok(),
            "connect command failed: {}{}",
            out.stdout,
            out.stderr
        );
        until!("the target to be connected", SOON, async {
            let target = self.api.target(target_id).await;
            match text(&target, "connectionState") {
                "connected" => Ok(()),
                other => Err(other.to_owned()),
            }
        });
    }

    /// Deploys a version; returns the deployment.
    pub async fn deploy(
        &self,
        target_id: &str,
        version_id: &str,
        env_file: &str,
        extra: Value,
    ) -> Value {
        let mut body = json!({
            "deploymentTargetId": target_id,
            "applicationVersionId": version_id,
            "dockerType": "compose",
            "envFileData": b64(env_file),
        });
        merge(&mut body, extra);
        let deployment = self.api.put_deployment(body).await;
        let id = text(&deployment, "id").to_owned();
        let project = project_of(&id);
        let taken = self.projects.lock().expect("projects").contains(&project);
        // The project name is `distr-` + the id's first 8 hex digits (AP §5):
        // time-ordered (v7) ids created close together would share it.
        assert!(
            !taken,
            "deployment {id} gets the compose project {project} of an earlier deployment: \
             the Hub must generate random (v4) deployment ids"
        );
        self.track_project(&project);
        deployment
    }

    /// Remembers a compose project to remove at the end.
    pub fn track_project(&self, project: &str) {
        self.projects
            .lock()
            .expect("projects")
            .push(project.to_owned());
    }

    /// Remembers a stack to remove at the end.
    pub fn track_stack(&self, stack: &str) {
        self.stacks.lock().expect("stacks").push(stack.to_owned());
    }

    /// Waits until the deployment's latest status is `kind` for its current
    /// revision; returns the deployment.
    pub async fn wait_status(&self, deployment_id: &str, kind: &str, timeout: Duration) -> Value {
        until!(
            &format!("deployment {deployment_id} to be {kind}"),
            timeout,
            async {
                let d = self.api.deployment(deployment_id).await;
                let latest = &d["latestStatus"];
                let current = latest["deploymentRevisionId"] == d["deploymentRevisionId"];
                if current && text(latest, "type") == kind {
                    Ok(d)
                } else {
                    Err(format!("health={} latestStatus={latest}", d["health"]))
                }
            }
        )
    }

    /// The docker calls the agent made so far (`<uptime> <args>` lines).
    pub async fn agent_calls(&self) -> Vec<String> {
        let out = docker(&["exec", AGENT_CONTAINER, "cat", CALL_LOG]).await;
        lines(&out.stdout)
    }
}

/// Calls whose arguments contain all of `words`.
pub fn count_calls(calls: &[String], words: &[&str]) -> usize {
    calls
        .iter()
        .filter(|line| {
            let args: Vec<&str> = line.split_whitespace().skip(1).collect();
            words.iter().all(|w| args.contains(w))
        })
        .count()
}

fn merge(base: &mut Value, extra: Value) {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let agent = docker_sync(&["logs", "--tail", "80", AGENT_CONTAINER]);
            let hub = self.hub.log();
            let hub_tail: Vec<&str> = hub.lines().rev().take(60).collect();
            eprintln!("--- agent log (tail) ---\n{agent}");
            eprintln!("--- hub log (tail) ---");
            for line in hub_tail.iter().rev() {
                eprintln!("{line}");
            }
        }
        docker_sync(&["compose", "-p", "distr", "down", "-v", "--remove-orphans"]);
        remove_update_helpers();
        for stack in self.stacks.lock().map(|s| s.clone()).unwrap_or_default() {
            docker_sync(&["stack", "rm", &stack]);
        }
        for project in self.projects.lock().map(|p| p.clone()).unwrap_or_default() {
            docker_sync(&["compose", "-p", &project, "down", "-v", "--remove-orphans"]);
        }
    }
}
