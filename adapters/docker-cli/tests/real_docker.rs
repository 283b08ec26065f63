//! The docker CLI adapter against the real engine. Runs when `docker info`
//! works; otherwise prints a loud skip line, or fails when
//! `DISTR_REQUIRE_DOCKER=1` (CI sets it). The swarm lifecycle (swarm init,
//! stack deploy, leave) changes engine-wide state and runs only with
//! `DISTR_SWARM_TESTS=1`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use distr_docker_cli::{CliDockerRuntime, DockerRegistryAuth, TokioCommandRunner};
use distr_domain::agent::DockerRecord;
use distr_domain::deployment::DockerType;
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_domain::protocol::{AgentDeployment, RegistryCredentials};
use distr_ports::agent::{DockerRuntime, RegistryAuthenticator};
use uuid::Uuid;

const IMAGE: &str = "distr-test/busybox:latest";

/// Compose tests share the engine; the swarm test (swarm init and an
/// engine-wide `network prune`) runs alone.
static ENGINE: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// Whether the engine is usable; builds the test image once per process.
fn docker_ready() -> bool {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        let info = Command::new("docker").arg("info").output();
        match info {
            Ok(out) if out.status.success() => {}
            Ok(out) => return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
            Err(e) => return Err(e.to_string()),
        }
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/build-test-images.sh");
        let built = Command::new(&script).env("TEST_IMAGE", IMAGE).status();
        match built {
            Ok(status) if status.success() => Ok(()),
            other => panic!("{} failed: {other:?}", script.display()),
        }
    });
    match ready {
        Ok(()) => true,
        Err(why) => {
            assert!(
                std::env::var("DISTR_REQUIRE_DOCKER").as_deref() != Ok("1"),
                "DISTR_REQUIRE_DOCKER=1 but docker info fails: {why}"
            );
            eprintln!(
                "\n!!!!!!!! SKIPPED real-Docker test: docker info fails ({why}); set DISTR_REQUIRE_DOCKER=1 to make this fatal !!!!!!!!\n"
            );
            false
        }
    }
}

/// A uniquely named compose project, torn down even when the test fails.
struct Project(String);

/// `distr-test-<random>`: unique on a shared engine.
fn unique_name() -> String {
    let suffix = Uuid::new_v4().simple().to_string();
    format!("distr-test-{}", &suffix[..12])
}

impl Project {
    fn new() -> Self {
        Self(unique_name())
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args([
                "compose",
                "--project-name",
                &self.0,
                "down",
                "--volumes",
                "--timeout",
                "1",
            ])
            .output();
    }
}

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn deployment(compose: String, env_file: Option<&str>) -> AgentDeployment {
    AgentDeployment {
        id: DeploymentId::from_uuid(Uuid::now_v7()),
        revision_id: RevisionId::from_uuid(Uuid::now_v7()),
        registry_auth: None,
        logs_enabled: false,
        force_restart: false,
        compose_file: Some(compose.into_bytes()),
        env_file: env_file.map(|e| e.as_bytes().to_vec()),
        docker_type: Some(DockerType::Compose),
        release_name: String::new(),
        chart_url: String::new(),
        chart_name: String::new(),
        chart_version: String::new(),
        values: None,
        ignore_revision_skew: false,
    }
}

fn runtime() -> CliDockerRuntime {
    CliDockerRuntime::new(Arc::new(TokioCommandRunner))
}

fn label(project: &str) -> String {
    format!("label=com.docker.compose.project={project}")
}

#[tokio::test]
async fn compose_apply_runs_the_project_and_uninstall_removes_it_with_its_volume() {
    if !docker_ready() {
        return;
    }
    let _shared = ENGINE.read().await;
    let project = Project::new();
    let p = project.0.as_str();
    let compose = format!(
        "name: {p}\nservices:\n  web:\n    image: {IMAGE}\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n    environment:\n      GREETING: ${{GREETING}}\n    volumes:\n      - data:/data\nvolumes:\n  data: {{}}\n"
    );
    let d = deployment(compose, Some("GREETING=hello from env file\n"));
    runtime().apply(&d, None).await.unwrap();

    let states = docker(&["ps", "-a", "--filter", &label(p), "--format", "{{.State}}"]);
    assert_eq!(states.trim(), "running");
    let env = docker(&[
        "inspect",
        "--format",
        "{{range .Config.Env}}{{println .}}{{end}}",
        &format!("{p}-web-1"),
    ]);
    assert!(
        env.lines().any(|l| l == "GREETING=hello from env file"),
        "{env}"
    );
    let volumes = docker(&["volume", "ls", "-q", "--filter", &label(p)]);
    assert_eq!(volumes.trim(), format!("{p}_data"));

    let record = DockerRecord {
        id: d.id,
        revision_id: d.revision_id,
        project_name: p.to_owned(),
        docker_type: DockerType::Compose,
        logs_enabled: false,
    };
    let started = |name: &str| docker(&["inspect", "--format", "{{.State.StartedAt}}", name]);
    let before = started(&format!("{p}-web-1"));
    runtime().force_restart(&record, None).await.unwrap();
    assert_ne!(
        started(&format!("{p}-web-1")),
        before,
        "container was not restarted"
    );

    runtime().uninstall(&record).await.unwrap();
    assert_eq!(
        docker(&["ps", "-a", "-q", "--filter", &label(p)]).trim(),
        ""
    );
    assert_eq!(
        docker(&["volume", "ls", "-q", "--filter", &label(p)]).trim(),
        ""
    );
}

#[tokio::test]
async fn broken_compose_apply_fails_with_the_cli_output() {
    if !docker_ready() {
        return;
    }
    let _shared = ENGINE.read().await;
    let project = Project::new();
    let p = project.0.as_str();
    let compose = format!(
        "name: {p}\nservices:\n  web:\n    image: {IMAGE}\n    volumes:\n      - undeclared:/data\n"
    );
    let err = runtime()
        .apply(&deployment(compose, None), None)
        .await
        .unwrap_err();
    assert!(err.0.contains("undefined volume undeclared"), "{err}");
    assert_eq!(
        docker(&["ps", "-a", "-q", "--filter", &label(p)]).trim(),
        ""
    );
}

#[tokio::test]
async fn apply_of_a_missing_image_fails_with_the_pull_error() {
    if !docker_ready() {
        return;
    }
    let _shared = ENGINE.read().await;
    let project = Project::new();
    let p = project.0.as_str();
    let compose = format!(
        "name: {p}\nservices:\n  web:\n    image: 127.0.0.1:9/distr-test/absent:1\n    pull_policy: missing\n"
    );
    let err = runtime()
        .apply(&deployment(compose, None), None)
        .await
        .unwrap_err();
    assert!(err.0.contains("127.0.0.1:9"), "{err}");
}

fn swarm_state() -> String {
    docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"])
        .trim()
        .to_owned()
}

/// Leaves the swarm on drop when this test initialised it.
struct SwarmGuard {
    initialised_here: bool,
    stack: String,
}

impl Drop for SwarmGuard {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["stack", "rm", &self.stack])
            .output();
        if self.initialised_here {
            let _ = Command::new("docker")
                .args(["swarm", "leave", "--force"])
                .output();
        }
    }
}

fn record(project: &str, docker_type: DockerType) -> DockerRecord {
    DockerRecord {
        id: DeploymentId::from_uuid(Uuid::now_v7()),
        revision_id: RevisionId::from_uuid(Uuid::now_v7()),
        project_name: project.to_owned(),
        docker_type,
        logs_enabled: false,
    }
}

#[tokio::test]
async fn swarm_apply_is_refused_when_inactive_and_deploys_restarts_and_removes_a_stack_when_active()
{
    if !docker_ready() {
        return;
    }
    let _alone = ENGINE.write().await;
    let stack = unique_name();
    let compose = format!(
        "name: {stack}\nservices:\n  web:\n    image: {IMAGE}\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n    environment:\n      GREETING: ${{GREETING}}\n"
    );
    let mut d = deployment(compose, Some("GREETING=from dotenv\n"));
    d.docker_type = Some(DockerType::Swarm);

    let initially = swarm_state();
    if initially == "inactive" {
        let err = runtime().apply(&d, None).await.unwrap_err();
        assert_eq!(err.0, "docker Swarm not initialized: inactive");
    }
    if std::env::var("DISTR_SWARM_TESTS").as_deref() != Ok("1") {
        eprintln!("skipping the swarm stack lifecycle: set DISTR_SWARM_TESTS=1 to run it");
        return;
    }
    let guard = SwarmGuard {
        initialised_here: initially == "inactive",
        stack: stack.clone(),
    };
    if guard.initialised_here {
        docker(&["swarm", "init", "--advertise-addr", "127.0.0.1"]);
    }

    runtime().apply(&d, None).await.unwrap();
    let service = format!("{stack}_web");
    let mut replicas = String::new();
    for _ in 0..60 {
        replicas = docker(&[
            "service",
            "ls",
            "--filter",
            &format!("name={service}"),
            "--format",
            "{{.Replicas}}",
        ]);
        if replicas.trim() == "1/1" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(replicas.trim(), "1/1");
    let env = docker(&[
        "service",
        "inspect",
        "--format",
        "{{range .Spec.TaskTemplate.ContainerSpec.Env}}{{println .}}{{end}}",
        &service,
    ]);
    assert!(env.lines().any(|l| l == "GREETING=from dotenv"), "{env}");

    let swarm_record = record(&stack, DockerType::Swarm);
    let force_before = docker(&[
        "service",
        "inspect",
        "--format",
        "{{.Spec.TaskTemplate.ForceUpdate}}",
        &service,
    ]);
    runtime().force_restart(&swarm_record, None).await.unwrap();
    let force_after = docker(&[
        "service",
        "inspect",
        "--format",
        "{{.Spec.TaskTemplate.ForceUpdate}}",
        &service,
    ]);
    assert_ne!(
        force_before, force_after,
        "force-update counter did not change"
    );

    runtime().uninstall(&swarm_record).await.unwrap();
    let left = docker(&[
        "service",
        "ls",
        "-q",
        "--filter",
        &format!("label=com.docker.stack.namespace={stack}"),
    ]);
    assert_eq!(left.trim(), "");
    drop(guard);
}

#[tokio::test]
async fn compose_apply_under_a_per_deployment_docker_config_still_finds_compose() {
    if !docker_ready() {
        return;
    }
    let _shared = ENGINE.read().await;
    let project = Project::new();
    let p = project.0.as_str();
    let compose = format!(
        "name: {p}\nservices:\n  web:\n    image: {IMAGE}\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
    );
    let mut d = deployment(compose, None);
    let credentials = RegistryCredentials {
        username: "user".to_owned(),
        password: "pass".to_owned(),
    };
    d.registry_auth = Some(BTreeMap::from([(
        "registry.invalid".to_owned(),
        credentials,
    )]));
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "");
    let config_dir = auth.prepare(&d, None).await.unwrap().unwrap();
    runtime().apply(&d, Some(&config_dir)).await.unwrap();
    let states = docker(&["ps", "-a", "--filter", &label(p), "--format", "{{.State}}"]);
    assert_eq!(states.trim(), "running");
}
