//! Registry credentials of a docker deployment (AP §7.3).

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde_json::Value;

use crate::protocol::AgentDeployment;

#[derive(Serialize)]
struct DockerConfig<'a> {
    auths: BTreeMap<&'a str, AuthEntry>,
}

#[derive(Serialize)]
struct AuthEntry {
    auth: String,
}

/// The Docker `config.json` for the given `host → (user, password)` entries:
/// `{"auths": {"<host>": {"auth": base64("user:pass")}}}`, hosts sorted.
///
/// The result holds passwords: write it with mode 0600 and never log it.
#[must_use]
pub fn docker_config_json(entries: &BTreeMap<String, (String, String)>) -> Vec<u8> {
    let config = DockerConfig {
        auths: entries
            .iter()
            .map(|(host, (user, password))| {
                let auth = STANDARD.encode(format!("{user}:{password}"));
                (host.as_str(), AuthEntry { auth })
            })
            .collect(),
    };
    // Serializing string maps cannot fail.
    serde_json::to_vec(&config).unwrap_or_else(|_| b"{\"auths\":{}}".to_vec())
}

/// The user name the agent logs in to the Distr registry with (its JWT is
/// the password, AP §7.3).
pub const DISTR_REGISTRY_USER: &str = "-";

/// The `host → (user, password)` entries of a deployment's credential file
/// (AP §7.3): every `registryAuth` entry, plus the Distr registry with user
/// `-` and `hub_token` when `registry_host` is non-empty (AP §11f). `None`
/// when the Distr registry is configured but there is no token.
#[must_use]
pub fn registry_entries(
    deployment: &AgentDeployment,
    registry_host: &str,
    hub_token: Option<&str>,
) -> Option<BTreeMap<String, (String, String)>> {
    let mut entries: BTreeMap<String, (String, String)> = deployment
        .registry_auth
        .iter()
        .flatten()
        .map(|(host, credentials)| {
            (
                host.clone(),
                (credentials.username.clone(), credentials.password.clone()),
            )
        })
        .collect();
    let registry_host = registry_host.trim();
    if !registry_host.is_empty() {
        let token = hub_token.filter(|t| !t.is_empty())?;
        entries.insert(
            registry_host.to_owned(),
            (DISTR_REGISTRY_USER.to_owned(), token.to_owned()),
        );
    }
    Some(entries)
}

/// Whether the compose or stack command needs `DOCKER_CONFIG` pointing at
/// the deployment's own config: a non-empty `registryAuth`, or a
/// `services.*.image` starting with the (non-empty) Distr registry host. A
/// malformed compose file gives `false` (the apply reports its error).
#[must_use]
pub fn needs_docker_config_override(deployment: &AgentDeployment, registry_host: &str) -> bool {
    if deployment
        .registry_auth
        .as_ref()
        .is_some_and(|auth| !auth.is_empty())
    {
        return true;
    }
    if registry_host.is_empty() {
        return false;
    }
    let Ok(Value::Object(root)) = super::plan::parse_compose(deployment) else {
        return false;
    };
    let Some(Value::Object(services)) = root.get("services") else {
        return false;
    };
    services.values().any(|service| {
        service
            .get("image")
            .and_then(Value::as_str)
            .is_some_and(|image| image.starts_with(registry_host))
    })
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::deployment::DockerType;
    use crate::ids::{DeploymentId, RevisionId};
    use crate::protocol::RegistryCredentials;

    fn deployment(compose: &str) -> AgentDeployment {
        AgentDeployment {
            id: DeploymentId::from_uuid(Uuid::from_u128(1)),
            revision_id: RevisionId::from_uuid(Uuid::from_u128(2)),
            registry_auth: None,
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

    const ON_HUB: &str = "name: distr-1\nservices:\n  web:\n    image: hub.example.com:8585/acme/web:1\n  db:\n    image: postgres\n";

    #[test]
    fn entries_hold_license_registries_and_the_distr_registry_only_when_configured() {
        let mut d = deployment("services: {}\n");
        d.registry_auth = Some(BTreeMap::from([(
            "lic.example".to_owned(),
            RegistryCredentials {
                username: "u".into(),
                password: "p".into(),
            },
        )]));
        let only_license = registry_entries(&d, "", Some("jwt")).unwrap();
        assert_eq!(
            only_license,
            BTreeMap::from([("lic.example".to_owned(), ("u".to_owned(), "p".to_owned()))])
        );
        let both = registry_entries(&d, " hub.example ", Some("jwt")).unwrap();
        assert_eq!(both["hub.example"], ("-".to_owned(), "jwt".to_owned()));
        assert_eq!(both.len(), 2);
        assert_eq!(registry_entries(&d, "hub.example", None), None);
        assert_eq!(registry_entries(&d, "hub.example", Some("")), None);
    }

    #[test]
    fn config_json_has_sorted_base64_auths() {
        let entries = BTreeMap::from([
            ("z.example".to_owned(), ("u".to_owned(), "p:w".to_owned())),
            ("a.example".to_owned(), ("-".to_owned(), "jwt".to_owned())),
        ]);
        let json = String::from_utf8(docker_config_json(&entries)).unwrap();
        assert_eq!(
            json,
            r#"{"auths":{"a.example":{"auth":"LTpqd3Q="},"z.example":{"auth":"dTpwOnc="}}}"#
        );
    }

    #[test]
    fn an_image_on_the_distr_registry_needs_the_override() {
        assert!(needs_docker_config_override(
            &deployment(ON_HUB),
            "hub.example.com:8585"
        ));
        assert!(!needs_docker_config_override(
            &deployment(ON_HUB),
            "other.example.com"
        ));
        assert!(!needs_docker_config_override(&deployment(ON_HUB), ""));
    }

    #[test]
    fn non_empty_registry_auth_needs_the_override() {
        let mut d = deployment("services:\n  web:\n    image: nginx\n");
        d.registry_auth = Some(BTreeMap::new());
        assert!(!needs_docker_config_override(&d, ""));
        d.registry_auth = Some(BTreeMap::from([(
            "ghcr.io".to_owned(),
            RegistryCredentials {
                username: "u".to_owned(),
                password: "p".to_owned(),
            },
        )]));
        assert!(needs_docker_config_override(&d, ""));
    }

    #[test]
    fn a_malformed_compose_file_needs_no_override() {
        assert!(!needs_docker_config_override(
            &deployment("services: [\n"),
            "hub"
        ));
        assert!(!needs_docker_config_override(
            &deployment("services: 3\n"),
            "hub"
        ));
        let mut none = deployment("");
        none.compose_file = None;
        assert!(!needs_docker_config_override(&none, "hub"));
    }
}
