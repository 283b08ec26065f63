//! Registry authentication against a real registry with basic auth (Debian's
//! `docker-registry`): the pull fails cleanly without credentials and works
//! with them. The Hub has no licenses yet, so `registryAuth` cannot be set;
//! the credentials come the customer's way instead: the host docker config
//! (`HOST_DOCKER_CONFIG_DIR`) that the connect manifest mounts.

use std::process::Stdio;
use std::time::Duration;

use serde_json::json;

use crate::api::{b64, text};
use crate::docker::{docker, docker_ok, run};
use crate::images::WEB_IMAGE;
use crate::setup::{self, CaseOptions, SOON, project_of};

const USER: &str = "e2e-user";
const PASSWORD: &str = "e2e-pass";

struct Registry {
    _child: tokio::process::Child,
    _dir: tempfile::TempDir,
    host: String,
}

async fn start_registry() -> Option<Registry> {
    if run("docker-registry", &["--version"], &[], None).await.code == -1
        || run("htpasswd", &["-h"], &[], None).await.code == -1
    {
        return None;
    }
    let dir = tempfile::tempdir().expect("registry dir");
    let hash = run("htpasswd", &["-Bbn", USER, PASSWORD], &[], None).await;
    assert!(hash.ok(), "htpasswd: {}", hash.stderr);
    std::fs::write(dir.path().join("htpasswd"), hash.stdout).expect("htpasswd file");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let config = format!(
        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {root}/data\nhttp:\n  addr: 127.0.0.1:{port}\n\
         auth:\n  htpasswd:\n    realm: e2e\n    path: {root}/htpasswd\n",
        root = dir.path().display()
    );
    let config_path = dir.path().join("config.yml");
    std::fs::write(&config_path, config).expect("registry config");
    let child = tokio::process::Command::new("docker-registry")
        .arg("serve")
        .arg(&config_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start docker-registry");
    let host = format!("127.0.0.1:{port}");
    let url = format!("http://{host}/v2/");
    until!("the registry to answer", Duration::from_secs(30), async {
        match reqwest::get(&url).await {
            Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED => Ok(()),
            Ok(r) => Err(r.status().to_string()),
            Err(e) => Err(e.to_string()),
        }
    });
    Some(Registry {
        _child: child,
        _dir: dir,
        host,
    })
}

/// A docker config directory; with credentials for `host` when given.
fn docker_config(host: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("docker config dir");
    let config = host.map_or_else(
        || json!({"auths": {}}),
        |host| json!({"auths": {host: {"auth": b64(&format!("{USER}:{PASSWORD}"))}}}),
    );
    std::fs::write(dir.path().join("config.json"), config.to_string()).expect("config.json");
    dir
}

#[tokio::test]
async fn private_image_pulls_with_registry_credentials_and_fails_cleanly_without_them() {
    let Some(case) = setup::start("registry auth", CaseOptions::default()).await else {
        return;
    };
    let Some(registry) = start_registry().await else {
        eprintln!(
            "!!! SKIPPED registry auth: install Debian's `docker-registry` and `apache2-utils`"
        );
        return;
    };
    let image = format!("{}/e2e/web:1", registry.host);
    let with_auth = docker_config(Some(&registry.host));
    let without_auth = docker_config(None);
    let with_dir = with_auth.path().to_string_lossy().into_owned();
    let without_dir = without_auth.path().to_string_lossy().into_owned();
    docker_ok(&["tag", WEB_IMAGE, &image]).await;
    let push = docker(&["--config", &with_dir, "push", &image]).await;
    assert!(push.ok(), "push: {}{}", push.stdout, push.stderr);
    docker_ok(&["rmi", &image]).await;

    let target = case
        .connect_new_target("e2e-registry", &[("HOST_DOCKER_CONFIG_DIR", &without_dir)])
        .await;
    let compose = format!("services:\n  web:\n    image: {image}\n");
    let (_, version) = case
        .api
        .create_application("private", "1.0.0", &compose)
        .await;
    let deployment = case.deploy(&target, &version, "", json!({})).await;
    let id = text(&deployment, "id").to_owned();
    let failed = case.wait_status(&id, "error", SOON).await;
    let message = text(&failed["latestStatus"], "message").to_lowercase();
    assert!(
        message.contains("auth") || message.contains("unauthorized"),
        "a clean authentication error: {message}"
    );

    // The customer puts the credentials into the host docker config: reconnect.
    case.connect(&target, &[("HOST_DOCKER_CONFIG_DIR", &with_dir)])
        .await;
    case.wait_status(&id, "healthy", SOON).await;

    case.api.delete_deployment(&id).await;
    let project = project_of(&id);
    until!("the private deployment to be removed", SOON, async {
        let left = crate::docker::project_containers(&project).await;
        if left.is_empty() {
            Ok(())
        } else {
            Err(format!("{left:?}"))
        }
    });
    let _ = docker(&["rmi", &image]).await;
}
