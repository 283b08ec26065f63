//! Everything built once per test run: the binaries, the agent images (two
//! tags for self-update) and the test application image. Nothing is pulled.

use std::path::{Path, PathBuf};

use tokio::sync::OnceCell;

use crate::docker::{docker_ok, run};

/// Repository the Hub puts into connect manifests.
pub const AGENT_REPOSITORY: &str = "distr-test/docker-agent";
/// The Hub's agent version (`HUB_AGENT_VERSION`), also an image tag. Far
/// from the crate version on purpose: a binary that reports its crate version
/// instead of the image's `DISTR_AGENT_VERSION_NAME` is then told apart.
pub const AGENT_V1: &str = "9.0.1";
/// The version a self-update moves to.
pub const AGENT_V2: &str = "9.0.2";
/// The test application: busybox httpd with a healthcheck.
pub const WEB_IMAGE: &str = "distr-test/e2e-web:1";
/// Where the agent image's docker wrapper logs every docker call.
pub const CALL_LOG: &str = "/scratch/docker-calls.log";

const BASE_IMAGE: &str = "distr-test/docker-agent-base:e2e";

/// The built artifacts.
#[derive(Debug)]
pub struct Artifacts {
    /// The `distr-hub` binary.
    pub hub_bin: PathBuf,
}

static ARTIFACTS: OnceCell<Artifacts> = OnceCell::const_new();

/// Builds (once) and returns the artifacts.
pub async fn artifacts() -> &'static Artifacts {
    ARTIFACTS.get_or_init(build).await
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("workspace root")
        .to_owned()
}

async fn build() -> Artifacts {
    let workspace = workspace();
    let agent_bin = PathBuf::from(env!("CARGO_BIN_EXE_distr-docker-agent"));
    let hub_bin = crate::hub::hub_binary(&workspace, &agent_bin).await;
    script(&workspace, "scripts/build-test-images.sh", &[], &[]).await;
    let agent = agent_bin.to_string_lossy().into_owned();
    let (repository, tag) = BASE_IMAGE.split_once(':').expect("tagged base image");
    let references = [
        BASE_IMAGE.to_owned(),
        format!("{AGENT_REPOSITORY}:{AGENT_V1}"),
        format!("{AGENT_REPOSITORY}:{AGENT_V2}"),
        WEB_IMAGE.to_owned(),
    ];
    let mut before = Vec::new();
    for reference in &references {
        before.push(image_id(reference).await);
    }
    script(
        &workspace,
        "scripts/build-agent-image.sh",
        &[tag],
        &[
            ("AGENT_IMAGE_REPOSITORY", repository),
            ("AGENT_BINARY", &agent),
        ],
    )
    .await;
    for version in [AGENT_V1, AGENT_V2] {
        traced_agent_image(version).await;
    }
    web_image().await;
    // Every run rebuilds (the agent binary may have changed): drop the images
    // the new ones replaced instead of piling up untagged ones. The engine
    // refuses an image that is still tagged or in use, which then stays.
    // Children first, so the old base has none left.
    for (reference, old) in references.iter().zip(before).rev() {
        let Some(old) = old else { continue };
        if image_id(reference).await.as_ref() != Some(&old) {
            let _ = run("docker", &["rmi", &old], &[], None).await;
        }
    }
    Artifacts { hub_bin }
}

async fn image_id(reference: &str) -> Option<String> {
    let out = run(
        "docker",
        &["image", "inspect", "--format", "{{.Id}}", reference],
        &[],
        None,
    )
    .await;
    out.ok().then(|| out.stdout.trim().to_owned())
}

async fn script(workspace: &Path, path: &str, args: &[&str], env: &[(&str, &str)]) {
    let program = workspace.join(path).to_string_lossy().into_owned();
    let out = run(&program, args, env, None).await;
    assert!(out.ok(), "{path} failed: {}{}", out.stdout, out.stderr);
}

/// Builds `DOCKER_BUILDKIT=0 docker build` from an inline Dockerfile and files.
pub async fn build_image(tag: &str, dockerfile: &str, files: &[(&str, &str, u32)]) {
    let dir = tempfile::tempdir().expect("build context");
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).expect("Dockerfile");
    for (name, content, mode) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("context file");
        let mut permissions = std::fs::metadata(&path).expect("metadata").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, *mode);
        std::fs::set_permissions(&path, permissions).expect("chmod");
    }
    let context = dir.path().to_string_lossy().into_owned();
    let out = run(
        "docker",
        &["build", "-q", "-t", tag, &context],
        &[("DOCKER_BUILDKIT", "0")],
        None,
    )
    .await;
    assert!(
        out.ok(),
        "docker build {tag} failed: {}{}",
        out.stdout,
        out.stderr
    );
}

/// The agent image for one version, with the docker CLI wrapped so tests can
/// count what the agent runs (one line per call: uptime, then arguments).
async fn traced_agent_image(version: &str) {
    let wrapper = format!(
        "#!/bin/sh\n\
         read -r up _ < /proc/uptime\n\
         printf '%s %s\\n' \"$up\" \"$*\" >> {CALL_LOG} 2>/dev/null\n\
         exec /usr/local/bin/docker.real \"$@\"\n"
    );
    let dockerfile = format!(
        "FROM {BASE_IMAGE}\n\
         RUN mv /usr/local/bin/docker /usr/local/bin/docker.real\n\
         COPY docker /usr/local/bin/docker\n\
         ENV DISTR_AGENT_VERSION_NAME={version}\n\
         LABEL org.opencontainers.image.version={version}\n"
    );
    build_image(
        &format!("{AGENT_REPOSITORY}:{version}"),
        &dockerfile,
        &[("docker", &wrapper, 0o755)],
    )
    .await;
}

async fn web_image() {
    let dockerfile = "FROM distr-test/busybox:latest\n\
        RUN mkdir -p /www && echo ok > /www/index.html\n\
        HEALTHCHECK --interval=1s --timeout=2s --start-period=2s --retries=3 \
          CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1\n\
        CMD [\"httpd\", \"-f\", \"-v\", \"-p\", \"8080\", \"-h\", \"/www\"]\n";
    build_image(WEB_IMAGE, dockerfile, &[]).await;
    docker_ok(&["image", "inspect", WEB_IMAGE]).await;
}
