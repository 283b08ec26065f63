//! The helm adapter against the real `helm` 3 binary, where no cluster is
//! needed: a test chart served from a local HTTP chart repository is
//! rendered with the agent's values through `helm template`, and the
//! install, upgrade, uninstall and history argv is shown to parse (helm
//! gets as far as contacting the cluster).
//!
//! Skips loudly without `helm` 3 on `PATH`; `DISTR_REQUIRE_HELM=1` (CI)
//! turns that into a failure.

use std::path::Path;
use std::sync::Arc;

use distr_domain::agent::{HelmChart, with_pull_secret};
use distr_helm_cli::{CliHelm, HelmCliConfig};
use distr_ports::agent::{HelmRequest, HelmRuntime};
use distr_subprocess::TokioCommandRunner;
use serde_json::{Value, json};
use support::{build_repository, helm_available, serve};

mod support;

fn helm_with_home(home: &Path) -> CliHelm {
    CliHelm::new(
        Arc::new(TokioCommandRunner),
        HelmCliConfig {
            home: Some(home.to_path_buf()),
            ..HelmCliConfig::default()
        },
    )
}

#[tokio::test]
async fn template_renders_the_repository_chart_with_the_agents_values() {
    if !helm_available() {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let url = serve(repo.path().to_path_buf()).await;
    build_repository(repo.path(), &url);

    // The values the Hub merged, with the agent's pull Secret appended.
    let merged =
        json!({"replicaCount": 3, "greeting": "from distr", "imagePullSecrets": [{"name": "own"}]});
    let values = with_pull_secret(Some(&merged), "shop");
    let chart = HelmChart::Repository {
        url,
        name: "web".into(),
        version: "0.1.0".into(),
    };
    let rendered = helm_with_home(home.path())
        .template(&HelmRequest {
            namespace: "customer-apps",
            release_name: "shop",
            chart: &chart,
            values: &values,
            registry_config: None,
        })
        .await
        .unwrap();

    let objects: Vec<Value> = serde_saphyr::from_multiple(&rendered).unwrap();
    let objects: Vec<&Value> = objects.iter().filter(|o| !o.is_null()).collect();
    let kinds: Vec<&str> = objects.iter().filter_map(|o| o["kind"].as_str()).collect();
    assert_eq!(kinds.len(), 2, "{rendered}");
    assert!(kinds.contains(&"Deployment") && kinds.contains(&"Service"));
    let deployment = objects.iter().find(|o| o["kind"] == "Deployment").unwrap();
    assert_eq!(deployment["metadata"]["name"], "shop");
    assert_eq!(deployment["metadata"]["namespace"], "customer-apps");
    assert_eq!(deployment["spec"]["replicas"], 3);
    let pod = &deployment["spec"]["template"]["spec"];
    assert_eq!(
        pod["imagePullSecrets"],
        json!([{"name": "own"}, {"name": "sh.distr.agent.v1.shop.pull"}])
    );
    assert_eq!(pod["containers"][0]["env"][0]["value"], "from distr");
    // A chart default the values did not override.
    assert_eq!(
        pod["containers"][0]["image"],
        "registry.example.com/web:1.0.0"
    );
}

#[tokio::test]
async fn a_missing_chart_version_is_helms_error() {
    if !helm_available() {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let url = serve(repo.path().to_path_buf()).await;
    build_repository(repo.path(), &url);
    let chart = HelmChart::Repository {
        url,
        name: "web".into(),
        version: "9.9.9".into(),
    };
    let err = helm_with_home(home.path())
        .template(&HelmRequest {
            namespace: "apps",
            release_name: "shop",
            chart: &chart,
            values: &json!({}),
            registry_config: None,
        })
        .await
        .unwrap_err();
    assert!(err.0.contains("9.9.9"), "{err}");
}

/// Without a cluster every release command fails at the cluster, which
/// shows helm accepted the exact argv the agent builds.
#[tokio::test]
async fn every_release_command_parses_and_reaches_for_the_cluster() {
    if !helm_available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: t\n",
    )
    .unwrap();
    let helm = CliHelm::new(
        Arc::new(TokioCommandRunner),
        HelmCliConfig {
            home: Some(home.path().to_path_buf()),
            kubeconfig: Some(kubeconfig),
            ..HelmCliConfig::default()
        },
    );
    let values = json!({"a": 1});
    let registry = br#"{"auths":{}}"#;
    for chart in [
        HelmChart::Repository {
            url: "http://127.0.0.1:1/charts".into(),
            name: "web".into(),
            version: "0.1.0".into(),
        },
        HelmChart::Oci {
            reference: "oci://127.0.0.1:1/charts/web".into(),
            version: "0.1.0".into(),
        },
    ] {
        let request = HelmRequest {
            namespace: "apps",
            release_name: "shop",
            chart: &chart,
            values: &values,
            registry_config: Some(registry),
        };
        for err in [
            helm.install(&request).await.unwrap_err(),
            helm.upgrade(&request).await.unwrap_err(),
        ] {
            assert_flags_accepted(&err.0);
        }
    }
    assert_flags_accepted(&helm.uninstall("apps", "shop").await.unwrap_err().0);
    assert_flags_accepted(&helm.latest_revision("apps", "shop").await.unwrap_err().0);
}

fn assert_flags_accepted(message: &str) {
    assert!(!message.contains("unknown flag"), "{message}");
    assert!(!message.contains("accepts"), "{message}");
    assert!(
        message.contains("127.0.0.1:1") || message.contains("unreachable"),
        "expected a cluster or registry connection error: {message}"
    );
}
