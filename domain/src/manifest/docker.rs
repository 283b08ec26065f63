//! The docker agent's Compose file (AP §4.2).

use std::fmt::Write as _;

use super::ManifestInputs;
use super::yaml::quote_compose;

/// Left unescaped on purpose: Compose resolves it on the host, and the
/// self-update helper relies on it (AP §4.2, §7.10).
const HOST_DOCKER_CONFIG_DIR: &str = "${HOST_DOCKER_CONFIG_DIR-${HOME}/.docker}";

pub(super) fn render(inputs: &ManifestInputs<'_>) -> String {
    let mut env: Vec<(&str, String)> = vec![
        ("DISTR_TARGET_ID", inputs.target_id.to_string()),
        (
            "DISTR_TARGET_SECRET",
            inputs.target_secret.unwrap_or_default().to_owned(),
        ),
    ];
    env.extend(inputs.endpoints());
    env.push(("DISTR_INTERVAL", inputs.interval.to_owned()));
    env.push(("DISTR_AGENT_VERSION_ID", inputs.version_id.to_string()));

    let mut out = String::from(concat!(
        "name: distr\n",
        "services:\n",
        "  agent:\n",
        "    network_mode: host\n",
        "    restart: unless-stopped\n",
    ));
    push_line(&mut out, 4, "image", &quote_compose(&inputs.image()));
    out.push_str("    environment:\n");
    for (key, value) in &env {
        push_line(&mut out, 6, key, &quote_compose(value));
    }
    out.push_str("      DISTR_AGENT_SCRATCH_DIR: /scratch\n");
    for (key, value) in &inputs.registry_env() {
        push_line(&mut out, 6, key, &quote_compose(value));
    }
    push_line(
        &mut out,
        6,
        "HOST_DOCKER_CONFIG_DIR",
        HOST_DOCKER_CONFIG_DIR,
    );
    out.push_str("    volumes:\n");
    out.push_str("      - /var/run/docker.sock:/var/run/docker.sock\n");
    out.push_str("      - scratch:/scratch\n");
    let _ = writeln!(out, "      - {HOST_DOCKER_CONFIG_DIR}:/root/.docker:ro");
    out.push_str("volumes:\n  scratch:\n");
    out
}

fn push_line(out: &mut String, indent: usize, key: &str, value: &str) {
    let _ = writeln!(out, "{:indent$}{key}: {value}", "");
}
