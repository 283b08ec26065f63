//! Per-deployment `registryAuth` (AP §5.2, §7.3) against a real engine and a
//! real private registry with basic auth: without credentials the agent's
//! apply fails with the registry's refusal and starts nothing; with them,
//! `DockerRegistryAuth` writes the deployment's own docker config and the
//! apply pulls and runs the image.
//!
//! Runs when `docker info`, `docker-registry` and `htpasswd` work; otherwise
//! prints a loud skip line, or fails when `DISTR_REQUIRE_DOCKER=1`.

#[path = "support/registry.rs"]
mod registry;

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use distr_docker_cli::{CliDockerRuntime, DockerRegistryAuth, TokioCommandRunner};
use distr_domain::agent::DockerRecord;
use distr_domain::deployment::DockerType;
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_domain::protocol::{AgentDeployment, RegistryCredentials};
use distr_ports::agent::{DockerRuntime, RegistryAuthenticator};
use uuid::Uuid;

const BASE_IMAGE: &str = "distr-test/busybox:latest";
const USER: &str = "distr-user";
const PASSWORD: &str = "distr-pass-1";

/// Skips loudly, or fails under `DISTR_REQUIRE_DOCKER=1`.
fn skip(why: &str) {
    assert!(
        std::env::var("DISTR_REQUIRE_DOCKER").as_deref() != Ok("1"),
        "DISTR_REQUIRE_DOCKER=1 but {why}"
    );
    eprintln!(
        "\n!!!!!!!! SKIPPED real-registry test: {why}; set DISTR_REQUIRE_DOCKER=1 to make this fatal !!!!!!!!\n"
    );
}

/// Whether the engine works; builds the base image when it does.
fn docker_ready() -> Result<(), String> {
    match Command::new("docker").arg("info").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
        Err(e) => return Err(e.to_string()),
    }
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/build-test-images.sh");
    let built = Command::new(&script).env("TEST_IMAGE", BASE_IMAGE).status();
    assert!(
        built.as_ref().is_ok_and(|s| s.success()),
        "{} failed: {built:?}",
        script.display()
    );
    Ok(())
}

fn run_docker(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new("docker")
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run docker");
    if let (Some(mut pipe), Some(text)) = (child.stdin.take(), stdin) {
        pipe.write_all(text.as_bytes()).expect("docker stdin");
    }
    child.wait_with_output().expect("docker output")
}

fn docker(args: &[&str]) -> String {
    let out = run_docker(args, None);
    assert!(
        out.status.success(),
        "docker {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A local image tag, removed on drop so later runs must pull again.
struct LocalTag(String);

impl Drop for LocalTag {
    fn drop(&mut self) {
        let _ = run_docker(&["rmi", &self.0], None);
    }
}

/// A compose project, torn down with its volumes even when the test fails.
struct Project(String);

impl Drop for Project {
    fn drop(&mut self) {
        let _ = run_docker(
            &[
                "compose",
                "--project-name",
                &self.0,
                "down",
                "--volumes",
                "--timeout",
                "1",
            ],
            None,
        );
    }
}

fn random_suffix() -> String {
    Uuid::new_v4().simple().to_string()[..12].to_owned()
}

/// Pushes the base image as `image` with a throwaway docker config holding
/// the login, then removes the local tag so that only a pull can bring it back.
fn push_private_copy(host: &str, image: &str) {
    let push_config = tempfile::tempdir().expect("push docker config");
    let config = push_config.path().to_string_lossy().into_owned();
    docker(&["tag", BASE_IMAGE, image]);
    let login = run_docker(
        &[
            "--config",
            &config,
            "login",
            "--username",
            USER,
            "--password-stdin",
            host,
        ],
        Some(PASSWORD),
    );
    assert!(
        login.status.success(),
        "docker login {host}: {}",
        String::from_utf8_lossy(&login.stderr)
    );
    docker(&["--config", &config, "push", image]);
    docker(&["rmi", image]);
    let left = run_docker(&["image", "inspect", image], None);
    assert!(!left.status.success(), "{image} is still present locally");
}

fn deployment(project: &str, image: &str) -> AgentDeployment {
    let compose = format!(
        "name: {project}\nservices:\n  web:\n    image: {image}\n    pull_policy: always\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
    );
    AgentDeployment {
        id: DeploymentId::from_uuid(Uuid::now_v7()),
        revision_id: RevisionId::from_uuid(Uuid::now_v7()),
        registry_auth: None,
        logs_enabled: false,
        force_restart: false,
        compose_file: Some(compose.into_bytes()),
        env_file: None,
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

fn containers(project: &str, format: &str) -> String {
    let label = format!("label=com.docker.compose.project={project}");
    docker(&["ps", "-a", "--filter", &label, "--format", format])
        .trim()
        .to_owned()
}

/// The `auths.<host>.auth` value of a docker config, base64-decoded by
/// coreutils so the check does not share the adapter's encoder.
fn stored_login(config_dir: &Path, host: &str) -> String {
    let text = std::fs::read_to_string(config_dir.join("config.json")).expect("config.json");
    let config: serde_json::Value = serde_json::from_str(&text).expect("config.json is JSON");
    let auth = config["auths"][host]["auth"]
        .as_str()
        .unwrap_or_else(|| panic!("no auth entry for {host} in {text}"));
    let mut child = Command::new("base64")
        .arg("-d")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run base64");
    child
        .stdin
        .take()
        .expect("base64 stdin")
        .write_all(auth.as_bytes())
        .expect("write base64 stdin");
    let out = child.wait_with_output().expect("base64 output");
    assert!(out.status.success(), "base64 -d of {auth}");
    String::from_utf8(out.stdout).expect("decoded login is UTF-8")
}

#[tokio::test]
async fn private_image_apply_fails_without_registry_auth_and_runs_with_it() {
    if let Err(why) = docker_ready() {
        skip(&format!("docker info fails ({why})"));
        return;
    }
    let registry = match registry::start(USER, PASSWORD) {
        Ok(registry) => registry,
        Err(registry::Unavailable(why)) => {
            skip(&why);
            return;
        }
    };
    let host = registry.host.clone();
    let image = format!("{host}/distr-test/private:{}", random_suffix());
    // Declared after the registry and before the project: dropped after the
    // project is down (the tag is in use until then), before the registry.
    let _tag = LocalTag(image.clone());
    push_private_copy(&host, &image);

    let project = Project(format!("distr-test-{}", random_suffix()));
    let p = project.0.as_str();
    let mut d = deployment(p, &image);
    let tmp = tempfile::tempdir().expect("agent tmp dir");
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "");

    // (1) No registryAuth: no override, the agent's own config has no login.
    let config_dir = auth.prepare(&d, None).await.expect("prepare without auth");
    assert_eq!(config_dir, None);
    let err = runtime()
        .apply(&d, config_dir.as_deref())
        .await
        .expect_err("pulling a private image without credentials must fail");
    let message = err.0.to_lowercase();
    assert!(
        message.contains("unauthorized")
            || message.contains("authentication")
            || message.contains("no basic auth credentials"),
        "not an authentication error: {err}"
    );
    assert!(
        message.contains(&host),
        "the error names the registry: {err}"
    );
    assert_eq!(containers(p, "{{.ID}}"), "", "nothing may be left behind");

    // (2) The same deployment with registryAuth for the registry host.
    d.registry_auth = Some(BTreeMap::from([(
        host.clone(),
        RegistryCredentials {
            username: USER.to_owned(),
            password: PASSWORD.to_owned(),
        },
    )]));
    let config_dir = auth
        .prepare(&d, None)
        .await
        .expect("prepare with auth")
        .expect("registryAuth overrides DOCKER_CONFIG");
    assert_eq!(config_dir, auth.config_dir(d.id));
    let mode = std::fs::metadata(&config_dir)
        .expect("config dir")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "config dir mode {mode:o}");
    assert_eq!(
        stored_login(&config_dir, &host),
        format!("{USER}:{PASSWORD}")
    );

    runtime()
        .apply(&d, Some(&config_dir))
        .await
        .expect("apply with registry credentials");
    assert_eq!(containers(p, "{{.State}}"), "running");
    assert_eq!(containers(p, "{{.Image}}"), image);

    let record = DockerRecord {
        id: d.id,
        revision_id: d.revision_id,
        project_name: p.to_owned(),
        docker_type: DockerType::Compose,
        logs_enabled: false,
    };
    runtime().uninstall(&record).await.expect("uninstall");
    assert_eq!(containers(p, "{{.ID}}"), "");
    auth.forget(d.id).await.expect("forget credentials");
    assert!(!config_dir.exists(), "credentials removed on forget");
}
