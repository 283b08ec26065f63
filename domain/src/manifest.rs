//! Install manifests and connect data (AP §2.3, §3.4, §4).
//!
//! Manifests are written as text rather than serialized so that their layout
//! matches the specification line for line; every inserted value goes through
//! [`yaml::quote`] so it stays a valid, exact YAML scalar.

mod docker;
mod kubernetes;
mod yaml;

use crate::ids::{AgentVersionId, TargetId};
use crate::target::{AgentResources, TargetKind};

/// The Hub's registry, when `REGISTRY_ENABLED` (AP §4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrySettings {
    /// Bare `host[:port]`.
    pub host: String,
    /// Plain HTTP (development only).
    pub plain_http: bool,
}

/// Everything an install manifest depends on (AP §4.1).
#[derive(Debug, Clone)]
pub struct ManifestInputs<'a> {
    /// `<base>`, without a trailing slash.
    pub base_url: &'a str,
    /// The target.
    pub target_id: TargetId,
    /// `Some` on `/connect`; `None` on `/agent/manifest` (docker: `''`,
    /// kubernetes: no `distr-agent-auth` Secret).
    pub target_secret: Option<&'a str>,
    /// The target's configured agent version.
    pub version_id: AgentVersionId,
    /// Its name, the image tag.
    pub version_name: &'a str,
    /// Image repository already resolved for this target type.
    pub image_repository: &'a str,
    /// `AGENT_INTERVAL` as a Go duration.
    pub interval: &'a str,
    /// Registry settings, only when the registry is enabled.
    pub registry: Option<RegistrySettings>,
    /// `AGENT_DOCKER_CONFIG` JSON (kubernetes only; empty counts as unset).
    pub agent_docker_config: Option<&'a str>,
    /// Docker or kubernetes (namespace, scope).
    pub kind: &'a TargetKind,
    /// Kubernetes agent resources.
    pub resources: Option<&'a AgentResources>,
}

impl ManifestInputs<'_> {
    fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    fn image(&self) -> String {
        format!("{}:{}", self.image_repository, self.version_name)
    }

    /// The seven endpoint variables with their URLs, in manifest order.
    fn endpoints(&self) -> [(&'static str, String); 7] {
        let agent = format!("{}/api/v1/agent", self.base());
        [
            ("DISTR_LOGIN_ENDPOINT", format!("{agent}/login")),
            ("DISTR_MANIFEST_ENDPOINT", format!("{agent}/manifest")),
            ("DISTR_RESOURCE_ENDPOINT", format!("{agent}/resources")),
            ("DISTR_STATUS_ENDPOINT", format!("{agent}/status")),
            ("DISTR_METRICS_ENDPOINT", format!("{agent}/metrics")),
            ("DISTR_LOGS_ENDPOINT", format!("{agent}/logs")),
            (
                "DISTR_AGENT_LOGS_ENDPOINT",
                format!("{agent}/deployment-target-logs"),
            ),
        ]
    }

    /// `DISTR_REGISTRY_HOST` and `DISTR_REGISTRY_PLAIN_HTTP`, only when enabled.
    fn registry_env(&self) -> Vec<(&'static str, String)> {
        self.registry.as_ref().map_or_else(Vec::new, |registry| {
            vec![
                ("DISTR_REGISTRY_HOST", registry.host.clone()),
                ("DISTR_REGISTRY_PLAIN_HTTP", registry.plain_http.to_string()),
            ]
        })
    }
}

/// Renders the install manifest: a Compose file for docker targets (AP §4.2),
/// a multi-document manifest for kubernetes targets (AP §4.3).
#[must_use]
pub fn render_manifest(inputs: &ManifestInputs<'_>) -> String {
    match inputs.kind {
        TargetKind::Docker => docker::render(inputs),
        TargetKind::Kubernetes { namespace, scope } => {
            kubernetes::render(inputs, namespace, *scope)
        }
    }
}

/// `<base>/api/v1/connect?targetId=<id>&targetSecret=<secret>` (AP §2.3).
#[must_use]
pub fn connect_url(base_url: &str, target: TargetId, secret: &str) -> String {
    endpoint_with_credentials(base_url, "connect", target, secret)
}

/// `<base>/api/v1/pre-connect?targetId=<id>&targetSecret=<secret>` (AP §2.3).
#[must_use]
pub fn pre_connect_url(base_url: &str, target: TargetId, secret: &str) -> String {
    endpoint_with_credentials(base_url, "pre-connect", target, secret)
}

fn endpoint_with_credentials(base_url: &str, path: &str, target: TargetId, secret: &str) -> String {
    format!(
        "{}/api/v1/{path}?targetId={}&targetSecret={}",
        base_url.trim_end_matches('/'),
        query_encode(&target.to_string()),
        query_encode(secret),
    )
}

/// The one-line connect command of an access request (AP §2.3).
///
/// `pre_post_scripts` (the org feature) and `sudo` (`connect_script_is_sudo`)
/// only affect docker targets.
#[must_use]
pub fn connect_command(
    base_url: &str,
    target: TargetId,
    secret: &str,
    kind: &TargetKind,
    pre_post_scripts: bool,
    sudo: bool,
) -> String {
    match kind {
        TargetKind::Docker if pre_post_scripts => {
            let url = pre_connect_url(base_url, target, secret);
            let shell = if sudo { "sudo sh" } else { "sh" };
            format!("curl -fsSL {} | {shell}", shell_single_quote(&url))
        }
        TargetKind::Docker => docker_connect_line(&connect_url(base_url, target, secret)),
        TargetKind::Kubernetes { namespace, .. } => format!(
            "kubectl apply -n {namespace} -f {}",
            shell_double_quote(&connect_url(base_url, target, secret))
        ),
    }
}

/// The `/pre-connect` script (AP §3.4). Blank scripts leave out their section.
#[must_use]
pub fn pre_connect_script(connect_url: &str, pre: Option<&str>, post: Option<&str>) -> String {
    let mut script = String::from("#!/bin/sh\n");
    if let Some(pre) = pre.filter(|s| !s.trim().is_empty()) {
        script.push_str("# Pre-connect script\n");
        script.push_str(pre);
        script.push_str("\n\n");
    }
    script.push_str("# Connect to Distr agent\n");
    script.push_str(&docker_connect_line(connect_url));
    if let Some(post) = post.filter(|s| !s.trim().is_empty()) {
        script.push_str("\n\n# Post-connect script\n");
        script.push_str(post);
        script.push('\n');
    }
    script
}

fn docker_connect_line(connect_url: &str) -> String {
    format!(
        "curl -fsSL {} | docker compose -f - up -d",
        shell_single_quote(connect_url)
    )
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn query_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `'…'` for POSIX shells; an embedded `'` becomes `'\''`.
fn shell_single_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// `"…"` for POSIX shells, escaping the characters still special inside.
fn shell_double_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
