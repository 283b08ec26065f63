//! The agent image's conventions (AP §4.4, checklist 60 and 76).

use crate::docker::{docker, inspect};
use crate::images::{AGENT_REPOSITORY, AGENT_V1};
use crate::setup::{self, CaseOptions};

#[tokio::test]
async fn agent_image_runs_the_agent_as_root_and_ships_the_entrypoint_script_compose_and_stack() {
    let Some(_case) = setup::start("agent image", CaseOptions::default()).await else {
        return;
    };
    let image = format!("{AGENT_REPOSITORY}:{AGENT_V1}");
    assert_eq!(
        inspect(&image, "{{json .Config.Entrypoint}}")
            .await
            .as_deref(),
        Some(r#"["/usr/local/bin/distr-docker-agent"]"#)
    );
    let user = inspect(&image, "{{.Config.User}}")
        .await
        .unwrap_or_default();
    assert!(
        user.is_empty() || user == "root" || user == "0",
        "runs as root: {user:?}"
    );

    // The entrypoint script executes its arguments, and hands docker
    // subcommands and options to docker, as the self-update helper needs.
    let script = "/usr/local/bin/docker-entrypoint.sh";
    let echo = docker(&[
        "run",
        "--rm",
        "--entrypoint",
        script,
        &image,
        "sh",
        "-c",
        "echo executed",
    ])
    .await;
    assert_eq!(echo.stdout.trim(), "executed", "{}", echo.stderr);
    for args in [
        &["docker", "compose", "version"][..],
        &["compose", "version"],
        &["docker", "stack", "--help"],
    ] {
        let mut run = vec!["run", "--rm", "--entrypoint", script, &image];
        run.extend_from_slice(args);
        let out = docker(&run).await;
        assert!(out.ok(), "{args:?}: {}{}", out.stdout, out.stderr);
    }
    // Compose is found even when DOCKER_CONFIG points elsewhere (the
    // per-deployment registry config) and /root/.docker is the host's.
    let hidden = docker(&[
        "run",
        "--rm",
        "--entrypoint",
        script,
        "-e",
        "DOCKER_CONFIG=/nonexistent",
        "--tmpfs",
        "/root/.docker",
        &image,
        "docker",
        "compose",
        "version",
    ])
    .await;
    assert!(hidden.ok(), "{}", hidden.stderr);

    // Without its environment the agent exits non-zero and names the variable.
    let bare = docker(&["run", "--rm", &image]).await;
    assert!(!bare.ok());
    assert!(
        bare.stderr.contains("missing environment variable: DISTR_"),
        "{}",
        bare.stderr
    );
}
