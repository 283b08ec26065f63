use std::path::Path;
use std::sync::Arc;

use distr_domain::agent::DockerRecord;
use distr_domain::deployment::DockerType;
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_domain::protocol::AgentDeployment;
use distr_ports::agent::DockerRuntime;
use uuid::Uuid;

use super::CliDockerRuntime;
use distr_subprocess::{RecordedCommand, ScriptedRunner};

const COMPOSE: &str = "name: distr-test-1\nservices:\n  web:\n    image: busybox\n";

fn deployment(docker_type: DockerType, env_file: Option<&str>) -> AgentDeployment {
    AgentDeployment {
        id: DeploymentId::from_uuid(Uuid::from_u128(1)),
        revision_id: RevisionId::from_uuid(Uuid::from_u128(2)),
        registry_auth: None,
        logs_enabled: false,
        force_restart: false,
        compose_file: Some(COMPOSE.as_bytes().to_vec()),
        env_file: env_file.map(|e| e.as_bytes().to_vec()),
        docker_type: Some(docker_type),
        release_name: String::new(),
        chart_url: String::new(),
        chart_name: String::new(),
        chart_version: String::new(),
        values: None,
        ignore_revision_skew: false,
    }
}

fn record(docker_type: DockerType) -> DockerRecord {
    DockerRecord {
        id: DeploymentId::from_uuid(Uuid::from_u128(1)),
        revision_id: RevisionId::from_uuid(Uuid::from_u128(2)),
        project_name: "distr-test-1".to_owned(),
        docker_type,
        logs_enabled: false,
    }
}

fn runtime(runner: &Arc<ScriptedRunner>) -> CliDockerRuntime {
    let dyn_runner: Arc<dyn crate::CommandRunner> = runner.clone();
    CliDockerRuntime::new(dyn_runner)
}

/// The recorded commands with the random env-file path replaced by `<tmp>`.
fn redacted(runner: &ScriptedRunner) -> Vec<RecordedCommand> {
    runner
        .recorded()
        .into_iter()
        .map(|mut cmd| {
            for arg in &mut cmd.args {
                if arg.starts_with("--env-file=") {
                    "--env-file=<tmp>".clone_into(arg);
                }
            }
            cmd
        })
        .collect()
}

fn env_file_paths(runner: &ScriptedRunner) -> Vec<String> {
    runner
        .recorded()
        .iter()
        .flat_map(|c| c.args.iter())
        .filter_map(|a| a.strip_prefix("--env-file=").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn compose_apply_without_env_file_pipes_the_yaml_in_root_dir() {
    let runner = Arc::new(ScriptedRunner::new().then(0, "Container web Started\n"));
    let out = runtime(&runner)
        .apply(&deployment(DockerType::Compose, None), None)
        .await
        .unwrap();
    assert_eq!(out, "Container web Started\n");
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn compose_apply_with_env_file_and_docker_config_deletes_the_env_file() {
    let runner = Arc::new(ScriptedRunner::new());
    runtime(&runner)
        .apply(
            &deployment(DockerType::Compose, Some("PASSWORD=s3cret\n")),
            Some(Path::new("/tmp/distr/dep/docker")),
        )
        .await
        .unwrap();
    insta::assert_yaml_snapshot!(redacted(&runner));
    let paths = env_file_paths(&runner);
    assert_eq!(paths.len(), 1);
    assert!(!Path::new(&paths[0]).exists(), "env file left behind");
}

#[tokio::test]
async fn compose_apply_failure_is_the_combined_output_and_removes_the_env_file() {
    let runner = Arc::new(
        ScriptedRunner::new().then_stderr(1, "service \"web\" refers to undefined volume\n"),
    );
    let err = runtime(&runner)
        .apply(&deployment(DockerType::Compose, Some("A=1\n")), None)
        .await
        .unwrap_err();
    assert_eq!(err.0, "service \"web\" refers to undefined volume");
    assert!(!Path::new(&env_file_paths(&runner)[0]).exists());
}

#[tokio::test]
async fn compose_apply_that_cannot_start_docker_is_an_error() {
    let runner = Arc::new(ScriptedRunner::new().then_io_error("No such file or directory"));
    let err = runtime(&runner)
        .apply(&deployment(DockerType::Compose, None), None)
        .await
        .unwrap_err();
    assert!(err.0.contains("No such file or directory"), "{err}");
}

#[tokio::test]
async fn swarm_apply_checks_the_swarm_strips_the_name_and_passes_dotenv_pairs() {
    let runner = Arc::new(
        ScriptedRunner::new()
            .then(0, "active\n")
            .then(0, "Creating service distr-test-1_web\n"),
    );
    let out = runtime(&runner)
        .apply(
            &deployment(DockerType::Swarm, Some("A=1\nB=\"two words\"\n")),
            Some(Path::new("/tmp/distr/dep/docker")),
        )
        .await
        .unwrap();
    assert_eq!(out, "Creating service distr-test-1_web\n");
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn swarm_apply_on_an_inactive_node_fails_before_deploying() {
    let runner = Arc::new(ScriptedRunner::new().then(0, "inactive\n"));
    let err = runtime(&runner)
        .apply(&deployment(DockerType::Swarm, None), None)
        .await
        .unwrap_err();
    assert_eq!(err.0, "docker Swarm not initialized: inactive");
    assert_eq!(runner.recorded().len(), 1);
}

#[tokio::test]
async fn swarm_deploy_failure_is_the_combined_output() {
    let runner = Arc::new(
        ScriptedRunner::new()
            .then(0, "active\n")
            .then_stderr(1, "image not found\n"),
    );
    let err = runtime(&runner)
        .apply(&deployment(DockerType::Swarm, None), None)
        .await
        .unwrap_err();
    assert_eq!(err.0, "image not found");
}

#[tokio::test]
async fn deployment_without_docker_type_is_not_applied() {
    let runner = Arc::new(ScriptedRunner::new());
    let mut d = deployment(DockerType::Compose, None);
    d.docker_type = None;
    let err = runtime(&runner).apply(&d, None).await.unwrap_err();
    assert_eq!(err.0, "deployment has no docker type");
    assert!(runner.recorded().is_empty());
}

#[tokio::test]
async fn compose_uninstall_removes_volumes() {
    let runner = Arc::new(ScriptedRunner::new());
    runtime(&runner)
        .uninstall(&record(DockerType::Compose))
        .await
        .unwrap();
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn compose_uninstall_failure_carries_the_output() {
    let runner = Arc::new(ScriptedRunner::new().then_stderr(1, "daemon down\n"));
    let err = runtime(&runner)
        .uninstall(&record(DockerType::Compose))
        .await
        .unwrap_err();
    assert_eq!(err.0, "docker compose down failed: daemon down");
}

#[tokio::test]
async fn swarm_uninstall_removes_the_stack_and_a_failed_prune_is_only_a_warning() {
    let runner = Arc::new(
        ScriptedRunner::new()
            .then(0, "Removing service distr-test-1_web\n")
            .then_stderr(1, "prune refused\n"),
    );
    runtime(&runner)
        .uninstall(&record(DockerType::Swarm))
        .await
        .unwrap();
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn swarm_uninstall_fails_when_stack_rm_fails_and_skips_the_prune() {
    let runner = Arc::new(ScriptedRunner::new().then_stderr(1, "nope\n"));
    let err = runtime(&runner)
        .uninstall(&record(DockerType::Swarm))
        .await
        .unwrap_err();
    assert_eq!(err.0, "docker stack rm failed: nope");
    assert_eq!(runner.recorded().len(), 1);
}

#[tokio::test]
async fn compose_force_restart_restarts_the_project_with_the_docker_config() {
    let runner = Arc::new(ScriptedRunner::new());
    runtime(&runner)
        .force_restart(
            &record(DockerType::Compose),
            Some(Path::new("/tmp/distr/dep/docker")),
        )
        .await
        .unwrap();
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn swarm_force_restart_updates_every_service() {
    let runner = Arc::new(ScriptedRunner::new().then(0, "distr-test-1_web\ndistr-test-1_db\n"));
    runtime(&runner)
        .force_restart(&record(DockerType::Swarm), None)
        .await
        .unwrap();
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn swarm_force_restart_aggregates_errors_and_tries_every_service() {
    let runner = Arc::new(
        ScriptedRunner::new()
            .then(0, "a\nb\nc\n")
            .then_stderr(1, "a broke\n")
            .then(0, "")
            .then_stderr(1, "c broke\n"),
    );
    let err = runtime(&runner)
        .force_restart(&record(DockerType::Swarm), None)
        .await
        .unwrap_err();
    assert_eq!(err.0, "force restart failed: a: a broke; c: c broke");
    assert_eq!(runner.recorded().len(), 4);
}
