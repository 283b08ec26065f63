//! Opt-in: the helm adapter against a real cluster. Runs only when
//! `KUBECONFIG` is set and helm 3 is on `PATH`; otherwise it says loudly
//! that it was skipped. The release goes into `DISTR_TEST_NAMESPACE`
//! (default `default`, which must exist: the agent never creates
//! namespaces) and is uninstalled at the end.
//!
//! It installs the test chart from a loopback HTTP repository (the cluster
//! does not need to reach it, helm does), reads the revision and manifest,
//! upgrades, and uninstalls. `--wait` needs the pods to become ready, and
//! the chart's image `registry.example.com/web` does not exist, so the
//! release is rendered with `replicaCount: 0`: nothing is pulled and the
//! Deployment is ready at once.

use std::sync::Arc;

use distr_domain::agent::{HelmChart, with_pull_secret};
use distr_helm_cli::{CliHelm, HelmCliConfig};
use distr_ports::agent::{HelmRequest, HelmRuntime};
use distr_subprocess::TokioCommandRunner;
use serde_json::json;
use support::{build_repository, helm_available, serve};

mod support;

#[tokio::test]
async fn install_upgrade_uninstall_on_a_real_cluster() {
    let Some(kubeconfig) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) else {
        eprintln!(
            "\n*** SKIPPED install_upgrade_uninstall_on_a_real_cluster: KUBECONFIG is not set (no cluster here) ***\n"
        );
        return;
    };
    if !helm_available() {
        return;
    }
    let namespace = std::env::var("DISTR_TEST_NAMESPACE").unwrap_or_else(|_| "default".into());
    let release = format!("distr-test-{}", std::process::id());
    let repo = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let url = serve(repo.path().to_path_buf()).await;
    build_repository(repo.path(), &url);
    let helm = CliHelm::new(
        Arc::new(TokioCommandRunner),
        HelmCliConfig {
            home: Some(home.path().to_path_buf()),
            kubeconfig: Some(kubeconfig.into()),
            ..HelmCliConfig::default()
        },
    );
    let chart = HelmChart::Repository {
        url,
        name: "web".into(),
        version: "0.1.0".into(),
    };
    let values = with_pull_secret(
        Some(&json!({"replicaCount": 0, "imagePullSecrets": []})),
        &release,
    );
    let request = HelmRequest {
        namespace: &namespace,
        release_name: &release,
        chart: &chart,
        values: &values,
        registry_config: None,
    };
    let _ = helm.uninstall(&namespace, &release).await;
    assert_eq!(
        helm.latest_revision(&namespace, &release).await.unwrap(),
        None
    );
    let outcome = async {
        assert_eq!(helm.install(&request).await?, 1);
        assert_eq!(helm.latest_revision(&namespace, &release).await?, Some(1));
        let manifest = helm.manifest(&namespace, &release).await?;
        assert!(manifest.contains("kind: Deployment"), "{manifest}");
        assert!(manifest.contains(&format!("{release}.pull")), "{manifest}");
        assert_eq!(helm.upgrade(&request).await?, 2);
        Ok::<_, distr_ports::agent::HelmError>(())
    }
    .await;
    helm.uninstall(&namespace, &release).await.unwrap();
    outcome.unwrap();
    assert_eq!(
        helm.latest_revision(&namespace, &release).await.unwrap(),
        None
    );
    helm.uninstall(&namespace, &release)
        .await
        .expect("uninstalling an absent release is not an error");
}
