use std::path::{Path, PathBuf};

use std::sync::Arc;

use distr_domain::agent::HelmChart;
use distr_ports::agent::{HelmRequest, HelmRuntime};
use distr_subprocess::{RecordedCommand, ScriptedRunner};
use serde_json::json;

use super::CliHelm;
use crate::HelmCliConfig;

const REGISTRY: &[u8] = br#"{"auths":{"registry.example.com":{"auth":"LTpqd3Q="}}}"#;
const STATUS: &str = include_str!("../../tests/fixtures/status-upgraded.json");

fn repository() -> HelmChart {
    HelmChart::Repository {
        url: "https://charts.example.com/stable".into(),
        name: "web".into(),
        version: "0.1.0".into(),
    }
}

fn oci() -> HelmChart {
    HelmChart::Oci {
        reference: "oci://registry.example.com/charts/web".into(),
        version: "0.1.0".into(),
    }
}

fn helm(runner: &Arc<ScriptedRunner>, plain_http: bool) -> CliHelm {
    let dyn_runner: Arc<dyn distr_subprocess::CommandRunner> = runner.clone();
    CliHelm::new(
        dyn_runner,
        HelmCliConfig {
            plain_http,
            home: Some(PathBuf::from("/var/lib/distr/helm")),
            ..HelmCliConfig::default()
        },
    )
}

fn request<'a>(
    chart: &'a HelmChart,
    values: &'a serde_json::Value,
    registry: Option<&'a [u8]>,
) -> HelmRequest<'a> {
    HelmRequest {
        namespace: "apps",
        release_name: "web",
        chart,
        values,
        registry_config: registry,
    }
}

/// The recorded commands with the random values-file path replaced.
fn redacted(runner: &ScriptedRunner) -> Vec<RecordedCommand> {
    runner
        .recorded()
        .into_iter()
        .map(|mut cmd| {
            if let Some(at) = cmd.args.iter().position(|a| a == "--values")
                && let Some(path) = cmd.args.get_mut(at + 1)
            {
                assert!(!Path::new(path).exists(), "the values file is removed");
                "<values-file>".clone_into(path);
            }
            if let Some(at) = cmd.args.iter().position(|a| a == "--registry-config")
                && let Some(path) = cmd.args.get_mut(at + 1)
            {
                assert!(!Path::new(path).exists(), "the credentials file is removed");
                "<registry-config-file>".clone_into(path);
            }
            cmd
        })
        .collect()
}

#[tokio::test]
async fn install_from_a_repository() {
    let runner = Arc::new(ScriptedRunner::new().then(0, STATUS));
    let values =
        json!({"greeting": "hi", "imagePullSecrets": [{"name": "sh.distr.agent.v1.web.pull"}]});
    let chart = repository();
    let revision = helm(&runner, true)
        .install(&request(&chart, &values, Some(REGISTRY)))
        .await
        .unwrap();
    assert_eq!(revision, 3);
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn install_from_oci_with_credentials_and_plain_http() {
    let runner = Arc::new(ScriptedRunner::new().then(0, STATUS));
    let values = json!({});
    let chart = oci();
    helm(&runner, true)
        .install(&request(&chart, &values, Some(REGISTRY)))
        .await
        .unwrap();
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn upgrade_from_a_repository() {
    let runner = Arc::new(ScriptedRunner::new().then(0, STATUS));
    let values = json!({"replicaCount": 2});
    let chart = repository();
    let revision = helm(&runner, false)
        .upgrade(&request(&chart, &values, None))
        .await
        .unwrap();
    assert_eq!(revision, 3);
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn upgrade_from_oci_over_tls() {
    let runner = Arc::new(ScriptedRunner::new().then(0, STATUS));
    let values = json!({});
    let chart = oci();
    helm(&runner, false)
        .upgrade(&request(&chart, &values, Some(REGISTRY)))
        .await
        .unwrap();
    insta::assert_yaml_snapshot!(redacted(&runner));
}

#[tokio::test]
async fn uninstall_waits_and_ignores_an_absent_release() {
    let runner = Arc::new(ScriptedRunner::new());
    helm(&runner, false).uninstall("apps", "web").await.unwrap();
    insta::assert_yaml_snapshot!(redacted(&runner));

    let runner = Arc::new(ScriptedRunner::new().then_stderr(1, "Error: release: not found\n"));
    helm(&runner, false).uninstall("apps", "web").await.unwrap();
}

#[tokio::test]
async fn a_failed_install_reports_helms_message() {
    let message = "Error: INSTALLATION FAILED: Kubernetes cluster unreachable: Get \"http://localhost:8080/version\": dial tcp 127.0.0.1:8080: connect: connection refused";
    let runner = Arc::new(ScriptedRunner::new().then_stderr(1, message));
    let values = json!({});
    let chart = repository();
    let err = helm(&runner, false)
        .install(&request(&chart, &values, None))
        .await
        .unwrap_err();
    assert_eq!(err.0, message);
}

#[tokio::test]
async fn the_values_file_holds_the_values_as_given() {
    let runner = Arc::new(ScriptedRunner::new().then(0, STATUS));
    let values = json!({"greeting": "hi", "nested": {"list": [1, 2]}});
    let chart = repository();
    helm(&runner, false)
        .install(&request(&chart, &values, None))
        .await
        .unwrap();
    let file = runner.recorded()[0].values_file.clone().unwrap();
    let read: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(read, values);
}

#[tokio::test]
async fn oci_credentials_are_a_private_file_during_the_command() {
    let runner = Arc::new(CredentialsPeek::default());
    let dyn_runner: Arc<dyn distr_subprocess::CommandRunner> = runner.clone();
    let helm = CliHelm::new(dyn_runner, HelmCliConfig::default());
    let values = json!({});
    let chart = oci();
    helm.install(&request(&chart, &values, Some(REGISTRY)))
        .await
        .unwrap();
    let seen = runner.seen.lock().unwrap().clone().unwrap();
    assert_eq!(seen.0, REGISTRY);
    assert_eq!(seen.1 & 0o777, 0o600);

    // HTTP repositories get no credentials.
    let runner = Arc::new(ScriptedRunner::new().then(0, STATUS));
    let chart = repository();
    helm_plain(&runner)
        .install(&request(&chart, &values, Some(REGISTRY)))
        .await
        .unwrap();
    assert!(
        !runner.recorded()[0]
            .args
            .iter()
            .any(|a| a == "--registry-config")
    );
}

fn helm_plain(runner: &Arc<ScriptedRunner>) -> CliHelm {
    let dyn_runner: Arc<dyn distr_subprocess::CommandRunner> = runner.clone();
    CliHelm::new(dyn_runner, HelmCliConfig::default())
}

/// Reads the `--registry-config` file (content and mode) while the command runs.
#[derive(Debug, Default)]
struct CredentialsPeek {
    seen: std::sync::Mutex<Option<(Vec<u8>, u32)>>,
}

#[async_trait::async_trait]
impl distr_subprocess::CommandRunner for CredentialsPeek {
    async fn run(
        &self,
        cmd: &distr_subprocess::CommandSpec,
    ) -> Result<distr_subprocess::CommandOutput, std::io::Error> {
        use std::os::unix::fs::PermissionsExt as _;
        if let Some(at) = cmd.args.iter().position(|a| a == "--registry-config") {
            let path = &cmd.args[at + 1];
            let mode = std::fs::metadata(path)?.permissions().mode();
            *self.seen.lock().unwrap() = Some((std::fs::read(path)?, mode));
        }
        Ok(distr_subprocess::CommandOutput {
            status: 0,
            stdout: STATUS.as_bytes().to_vec(),
            stderr: Vec::new(),
        })
    }
}

#[tokio::test]
async fn latest_revision_reads_history_and_maps_not_found() {
    let runner = Arc::new(ScriptedRunner::new().then(
        0,
        include_str!("../../tests/fixtures/history-rolled-back.json"),
    ));
    assert_eq!(
        helm(&runner, false)
            .latest_revision("apps", "web")
            .await
            .unwrap(),
        Some(4)
    );
    insta::assert_yaml_snapshot!(redacted(&runner));

    let runner = Arc::new(ScriptedRunner::new().then_stderr(1, "Error: release: not found\n"));
    assert_eq!(
        helm(&runner, false)
            .latest_revision("apps", "web")
            .await
            .unwrap(),
        None
    );

    let runner =
        Arc::new(ScriptedRunner::new().then_stderr(1, "Error: Kubernetes cluster unreachable"));
    let err = helm(&runner, false)
        .latest_revision("apps", "web")
        .await
        .unwrap_err();
    assert_eq!(err.0, "Error: Kubernetes cluster unreachable");
}

#[tokio::test]
async fn manifest_is_helm_get_manifest() {
    let runner = Arc::new(ScriptedRunner::new().then(0, "---\nkind: Service\n"));
    let manifest = helm(&runner, false).manifest("apps", "web").await.unwrap();
    assert_eq!(manifest, "---\nkind: Service\n");
    assert_eq!(
        runner.recorded()[0].args,
        ["get", "manifest", "web", "--namespace", "apps"]
    );
}
