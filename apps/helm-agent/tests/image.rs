//! The Kubernetes agent image built offline by
//! `scripts/build-helm-agent-image.sh`: the agent is the entrypoint, it runs
//! as the numeric non-root user 65532, carries helm 3, and without its
//! environment exits non-zero naming the missing variable.
//!
//! Needs a Docker Engine and helm on `PATH`; skips loudly without them
//! (`DISTR_REQUIRE_DOCKER=1` / `DISTR_REQUIRE_HELM=1` make that a failure).

use std::path::Path;
use std::process::Command;

const IMAGE: &str = "distr-test/kubernetes-agent:e2e-image";

fn available(what: &str, program: &str, args: &[&str], require: &str) -> bool {
    let ok = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success());
    if !ok {
        assert!(
            std::env::var(require).as_deref() != Ok("1"),
            "{require}=1 but {what} is not available"
        );
        eprintln!("\n*** SKIPPED the helm agent image test: {what} is not available ***\n");
    }
    ok
}

fn docker(args: &[&str]) -> (i32, String, String) {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("run docker");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        String::from_utf8_lossy(&out.stderr).trim().to_owned(),
    )
}

#[test]
fn the_image_runs_the_agent_as_a_numeric_non_root_user_with_helm() {
    if !available(
        "a Docker Engine",
        "docker",
        &["info"],
        "DISTR_REQUIRE_DOCKER",
    ) || !available(
        "helm 3",
        "helm",
        &["version", "--short"],
        "DISTR_REQUIRE_HELM",
    ) {
        return;
    }
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/build-helm-agent-image.sh");
    let built = Command::new(script)
        .arg("e2e-image")
        .env("AGENT_BINARY", env!("CARGO_BIN_EXE_distr-helm-agent"))
        .output()
        .expect("run the image script");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let (_, config, _) = docker(&[
        "image",
        "inspect",
        "--format",
        "{{.Config.User}}|{{json .Config.Entrypoint}}",
        IMAGE,
    ]);
    assert_eq!(config, r#"65532:65532|["/usr/local/bin/distr-helm-agent"]"#);

    let (code, id, _) = docker(&["run", "--rm", "--entrypoint", "id", IMAGE, "-u"]);
    assert_eq!((code, id.as_str()), (0, "65532"));

    let (code, version, _) = docker(&[
        "run",
        "--rm",
        "--entrypoint",
        "helm",
        IMAGE,
        "version",
        "--short",
    ]);
    assert_eq!(code, 0);
    assert!(version.starts_with("v3."), "{version}");

    // Helm's writable state goes to the scratch directory the user owns.
    let (code, _, err) = docker(&[
        "run",
        "--rm",
        "--entrypoint",
        "sh",
        IMAGE,
        "-c",
        "touch /scratch/x",
    ]);
    assert_eq!(code, 0, "{err}");

    let (code, _, err) = docker(&["run", "--rm", IMAGE]);
    assert_ne!(code, 0);
    assert!(
        err.contains("missing environment variable: DISTR_TARGET_ID"),
        "{err}"
    );

    let _ = docker(&["image", "rm", IMAGE]);
}
