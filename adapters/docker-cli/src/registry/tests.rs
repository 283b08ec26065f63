use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use distr_domain::deployment::DockerType;
use distr_domain::ids::RevisionId;
use distr_domain::protocol::RegistryCredentials;
use serde_json::{Value, json};
use uuid::Uuid;

use super::*;

fn deployment(compose: &str, auth: &[(&str, &str, &str)]) -> AgentDeployment {
    let registry_auth = (!auth.is_empty()).then(|| {
        auth.iter()
            .map(|(host, user, password)| {
                (
                    (*host).to_owned(),
                    RegistryCredentials {
                        username: (*user).to_owned(),
                        password: (*password).to_owned(),
                    },
                )
            })
            .collect::<BTreeMap<_, _>>()
    });
    AgentDeployment {
        id: DeploymentId::from_uuid(Uuid::from_u128(7)),
        revision_id: RevisionId::from_uuid(Uuid::from_u128(8)),
        registry_auth,
        logs_enabled: false,
        force_restart: false,
        compose_file: Some(compose.as_bytes().to_vec()),
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

fn config(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("config.json")).unwrap()).unwrap()
}

const PLAIN: &str = "name: p\nservices:\n  web:\n    image: nginx\n";
const ON_DISTR: &str = "name: p\nservices:\n  web:\n    image: registry.distr.test/org/app:1\n";

#[tokio::test]
async fn distr_registry_entry_holds_dash_and_current_token_in_a_private_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "registry.distr.test");
    let d = deployment(ON_DISTR, &[]);
    let dir = auth.prepare(&d, Some("jwt-1")).await.unwrap().unwrap();
    assert_eq!(dir, tmp.path().join(d.id.to_string()).join("docker"));
    assert_eq!(
        config(&dir),
        json!({"auths": {"registry.distr.test": {"auth": "LTpqd3QtMQ=="}}})
    );
    let dir_mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(dir_mode, 0o700);
    let file_mode = std::fs::metadata(dir.join("config.json"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(file_mode, 0o600);

    auth.prepare(&d, Some("jwt-2")).await.unwrap();
    assert_eq!(
        config(&dir),
        json!({"auths": {"registry.distr.test": {"auth": "LTpqd3QtMg=="}}})
    );
}

#[tokio::test]
async fn empty_registry_host_writes_no_distr_entry_and_needs_no_token() {
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "");
    let d = deployment(ON_DISTR, &[]);
    assert_eq!(auth.prepare(&d, None).await.unwrap(), None);
    assert_eq!(config(&auth.config_dir(d.id)), json!({"auths": {}}));
}

#[tokio::test]
async fn plain_images_without_license_auth_use_the_host_config() {
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "registry.distr.test");
    let d = deployment(PLAIN, &[]);
    assert_eq!(auth.prepare(&d, Some("jwt")).await.unwrap(), None);
}

#[tokio::test]
async fn missing_token_with_a_registry_host_is_a_login_error() {
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "registry.distr.test");
    let err = auth
        .prepare(&deployment(ON_DISTR, &[]), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.0,
        "docker login failed for registry.distr.test: no agent token"
    );
}

#[tokio::test]
async fn license_hosts_are_stored_and_disappearing_ones_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "");
    let d = deployment(PLAIN, &[("ghcr.io", "u", "p"), ("quay.io", "q", "r")]);
    let dir = auth.prepare(&d, None).await.unwrap().unwrap();
    assert_eq!(
        config(&dir),
        json!({"auths": {"ghcr.io": {"auth": "dTpw"}, "quay.io": {"auth": "cTpy"}}})
    );
    let d = deployment(PLAIN, &[("quay.io", "q", "r")]);
    auth.prepare(&d, None).await.unwrap().unwrap();
    assert_eq!(
        config(&dir),
        json!({"auths": {"quay.io": {"auth": "cTpy"}}})
    );
}

#[tokio::test]
async fn unchanged_config_is_not_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "");
    let d = deployment(PLAIN, &[("ghcr.io", "u", "p")]);
    let dir = auth.prepare(&d, None).await.unwrap().unwrap();
    let file = dir.join("config.json");
    // A marker mode change survives only if the file is left alone.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap();
    auth.prepare(&d, None).await.unwrap();
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o400);
}

#[tokio::test]
async fn forget_removes_the_deployment_directory_and_ignores_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().to_path_buf(), "");
    let d = deployment(PLAIN, &[("ghcr.io", "u", "p")]);
    auth.prepare(&d, None).await.unwrap();
    auth.forget(d.id).await.unwrap();
    assert!(!tmp.path().join(d.id.to_string()).exists());
    auth.forget(d.id).await.unwrap();
}

#[tokio::test]
async fn config_dir_links_the_agents_cli_plugins_so_compose_stays_available() {
    let tmp = tempfile::tempdir().unwrap();
    let plugins = tmp.path().join("home-plugins");
    std::fs::create_dir(&plugins).unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().join("tmp"), "")
        .with_cli_plugins_dir(Some(plugins.clone()));
    let d = deployment(PLAIN, &[("ghcr.io", "u", "p")]);
    let dir = auth.prepare(&d, None).await.unwrap().unwrap();
    assert_eq!(
        std::fs::read_link(dir.join("cli-plugins")).unwrap(),
        plugins
    );
    // A second tick keeps the existing link.
    auth.prepare(&d, None).await.unwrap();
    assert_eq!(
        std::fs::read_link(dir.join("cli-plugins")).unwrap(),
        plugins
    );
}

#[tokio::test]
async fn absent_plugin_directory_is_not_linked() {
    let tmp = tempfile::tempdir().unwrap();
    let auth = DockerRegistryAuth::new(tmp.path().join("tmp"), "")
        .with_cli_plugins_dir(Some(tmp.path().join("nowhere")));
    let d = deployment(PLAIN, &[("ghcr.io", "u", "p")]);
    let dir = auth.prepare(&d, None).await.unwrap().unwrap();
    assert!(std::fs::symlink_metadata(dir.join("cli-plugins")).is_err());
}
