use std::sync::Arc;

use distr_ports::agent::SelfUpdater;

use super::*;
use distr_subprocess::ScriptedRunner;

const MANIFEST: &str = "name: distr\nservices:\n  agent:\n    image: ghcr.io/distr-sh/distr/docker-agent:2.0.0\n    environment:\n      DISTR_TARGET_ID: abc\n      DISTR_TARGET_SECRET: ${DISTR_TARGET_SECRET}\n      HOST_DOCKER_CONFIG_DIR: ${HOST_DOCKER_CONFIG_DIR-/root/.docker}\n";

fn updater(runner: &Arc<ScriptedRunner>, scratch: &std::path::Path) -> CliSelfUpdater {
    let dyn_runner: Arc<dyn CommandRunner> = runner.clone();
    CliSelfUpdater::new(
        dyn_runner,
        scratch.to_path_buf(),
        "the-secret",
        "/home/me/.docker",
    )
}

#[tokio::test]
async fn self_update_writes_the_patched_manifest_and_starts_the_helper() {
    let scratch = tempfile::tempdir().unwrap();
    let runner = Arc::new(ScriptedRunner::new().then(0, "c0ffee\n"));
    updater(&runner, scratch.path())
        .self_update(MANIFEST)
        .await
        .unwrap();
    let written = std::fs::read_to_string(scratch.path().join("distr-update.yaml")).unwrap();
    assert!(written.contains("the-secret"), "{written}");
    assert!(
        written.contains("${HOST_DOCKER_CONFIG_DIR-/root/.docker}"),
        "{written}"
    );
    let mut recorded = runner.recorded();
    for cmd in &mut recorded {
        for arg in &mut cmd.args {
            *arg = arg.replace(&scratch.path().display().to_string(), "<scratch>");
        }
    }
    insta::assert_yaml_snapshot!(recorded);
}

#[tokio::test]
async fn failed_docker_run_is_an_error_with_its_output() {
    let scratch = tempfile::tempdir().unwrap();
    let runner =
        Arc::new(ScriptedRunner::new().then_stderr(125, "No such container: distr-agent-1\n"));
    let err = updater(&runner, scratch.path())
        .self_update(MANIFEST)
        .await
        .unwrap_err();
    assert_eq!(
        err.0,
        "self-update: docker run failed: No such container: distr-agent-1"
    );
}

#[tokio::test]
async fn bad_manifest_is_an_error_without_running_docker() {
    let scratch = tempfile::tempdir().unwrap();
    let runner = Arc::new(ScriptedRunner::new());
    let err = updater(&runner, scratch.path())
        .self_update("services: 3\n")
        .await
        .unwrap_err();
    assert!(err.0.starts_with("self-update: "), "{err}");
    assert!(runner.recorded().is_empty());
    assert!(!scratch.path().join("distr-update.yaml").exists());
}

#[test]
fn debug_never_shows_the_secret() {
    let runner: Arc<dyn CommandRunner> = Arc::new(ScriptedRunner::new());
    let updater = CliSelfUpdater::new(runner, "/s".into(), "the-secret", "/d");
    assert!(!format!("{updater:?}").contains("the-secret"));
}

#[tokio::test]
async fn missing_scratch_dir_is_created_and_the_manifest_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let scratch = root.path().join("scratch");
    let runner = Arc::new(ScriptedRunner::new());
    updater(&runner, &scratch)
        .self_update(MANIFEST)
        .await
        .unwrap();
    let meta = std::fs::metadata(scratch.join("distr-update.yaml")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
}
