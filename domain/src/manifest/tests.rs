use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, Role, RoleBinding};
use serde_json::Value;
use uuid::Uuid;

use super::*;
use crate::target::KubernetesScope;

const BASE: &str = "https://hub.example.com";
const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn target() -> TargetId {
    TargetId::from_uuid(Uuid::from_u128(0x0190_a3b4_1c2d_7e8f_9a0b_1c2d_3e4f_5a6b))
}

fn version() -> AgentVersionId {
    AgentVersionId::from_uuid(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001))
}

fn cluster() -> TargetKind {
    TargetKind::Kubernetes {
        namespace: "apps".to_owned(),
        scope: KubernetesScope::Cluster,
    }
}

fn namespaced() -> TargetKind {
    TargetKind::Kubernetes {
        namespace: "team-a".to_owned(),
        scope: KubernetesScope::Namespace,
    }
}

fn resources() -> AgentResources {
    AgentResources {
        cpu_request: "100m".to_owned(),
        memory_request: "128Mi".to_owned(),
        cpu_limit: "1".to_owned(),
        memory_limit: "512Mi".to_owned(),
    }
}

fn inputs<'a>(kind: &'a TargetKind, secret: Option<&'a str>) -> ManifestInputs<'a> {
    let repository = match kind {
        TargetKind::Docker => "ghcr.io/example/docker-agent",
        TargetKind::Kubernetes { .. } => "ghcr.io/example/kubernetes-agent",
    };
    ManifestInputs {
        base_url: BASE,
        target_id: target(),
        target_secret: secret,
        version_id: version(),
        version_name: "2.7.1",
        image_repository: repository,
        interval: "5s",
        registry: None,
        agent_docker_config: None,
        kind,
        resources: None,
    }
}

fn registry() -> Option<RegistrySettings> {
    Some(RegistrySettings {
        host: "registry.example.com:8585".to_owned(),
        plain_http: false,
    })
}

/// Splits a multi-document manifest; each document starts with `---`.
fn documents(text: &str) -> Vec<&str> {
    text.strip_prefix("---\n")
        .unwrap()
        .split("\n---\n")
        .collect()
}

fn kinds(text: &str) -> Vec<String> {
    documents(text)
        .into_iter()
        .map(|doc| {
            let v: Value = serde_saphyr::from_str(doc).unwrap();
            format!(
                "{}/{}",
                v["kind"].as_str().unwrap(),
                v["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect()
}

/// Parses every document into its k8s-openapi type, which checks
/// `apiVersion`, `kind` and every field's shape.
fn parse_all(text: &str) -> Vec<Value> {
    documents(text)
        .into_iter()
        .map(|doc| {
            let v: Value = serde_saphyr::from_str(doc).unwrap();
            match v["kind"].as_str().unwrap() {
                "ConfigMap" => drop(serde_saphyr::from_str::<ConfigMap>(doc).unwrap()),
                "Secret" => drop(serde_saphyr::from_str::<Secret>(doc).unwrap()),
                "ServiceAccount" => drop(serde_saphyr::from_str::<ServiceAccount>(doc).unwrap()),
                "Role" => drop(serde_saphyr::from_str::<Role>(doc).unwrap()),
                "RoleBinding" => drop(serde_saphyr::from_str::<RoleBinding>(doc).unwrap()),
                "ClusterRoleBinding" => {
                    drop(serde_saphyr::from_str::<ClusterRoleBinding>(doc).unwrap());
                }
                "Deployment" => drop(serde_saphyr::from_str::<Deployment>(doc).unwrap()),
                other => panic!("unexpected kind {other}"),
            }
            v
        })
        .collect()
}

fn compose_env(text: &str) -> BTreeMap<String, String> {
    let v: Value = serde_saphyr::from_str(text).unwrap();
    serde_json::from_value(v["services"]["agent"]["environment"].clone()).unwrap()
}

#[test]
fn docker_connect_manifest() {
    let kind = TargetKind::Docker;
    insta::assert_snapshot!(render_manifest(&inputs(&kind, Some(SECRET))));
}

#[test]
fn docker_self_update_manifest_with_registry() {
    let kind = TargetKind::Docker;
    let mut i = inputs(&kind, None);
    i.registry = registry();
    insta::assert_snapshot!(render_manifest(&i));
}

#[test]
fn kubernetes_cluster_connect_manifest_with_everything() {
    let kind = cluster();
    let r = resources();
    let mut i = inputs(&kind, Some(SECRET));
    i.registry = registry();
    i.agent_docker_config = Some(r#"{"auths":{"r.example.com":{"auth":"dTpw"}}}"#);
    i.resources = Some(&r);
    insta::assert_snapshot!(render_manifest(&i));
}

#[test]
fn kubernetes_namespace_connect_manifest() {
    let kind = namespaced();
    insta::assert_snapshot!(render_manifest(&inputs(&kind, Some(SECRET))));
}

#[test]
fn kubernetes_namespace_self_update_manifest() {
    let kind = namespaced();
    insta::assert_snapshot!(render_manifest(&inputs(&kind, None)));
}

#[test]
fn kubernetes_cluster_self_update_manifest() {
    let kind = cluster();
    insta::assert_snapshot!(render_manifest(&inputs(&kind, None)));
}

#[test]
fn docker_manifest_has_the_spec_shape() {
    let kind = TargetKind::Docker;
    let text = render_manifest(&inputs(&kind, Some(SECRET)));
    let v: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(v["name"], "distr");
    let agent = &v["services"]["agent"];
    assert_eq!(agent["network_mode"], "host");
    assert_eq!(agent["restart"], "unless-stopped");
    assert_eq!(agent["image"], "ghcr.io/example/docker-agent:2.7.1");
    assert!(
        agent["environment"].is_object(),
        "environment must be a mapping"
    );
    let env = compose_env(&text);
    assert_eq!(env["DISTR_TARGET_ID"], target().to_string());
    assert_eq!(env["DISTR_TARGET_SECRET"], SECRET);
    assert_eq!(
        env["DISTR_RESOURCE_ENDPOINT"],
        format!("{BASE}/api/v1/agent/resources")
    );
    assert_eq!(
        env["DISTR_AGENT_LOGS_ENDPOINT"],
        format!("{BASE}/api/v1/agent/deployment-target-logs")
    );
    assert_eq!(env["DISTR_INTERVAL"], "5s");
    assert_eq!(env["DISTR_AGENT_VERSION_ID"], version().to_string());
    assert_eq!(env["DISTR_AGENT_SCRATCH_DIR"], "/scratch");
    assert_eq!(
        env["HOST_DOCKER_CONFIG_DIR"],
        "${HOST_DOCKER_CONFIG_DIR-${HOME}/.docker}"
    );
    assert_eq!(
        agent["volumes"],
        serde_json::json!([
            "/var/run/docker.sock:/var/run/docker.sock",
            "scratch:/scratch",
            "${HOST_DOCKER_CONFIG_DIR-${HOME}/.docker}:/root/.docker:ro"
        ])
    );
    assert!(v["volumes"].as_object().unwrap().contains_key("scratch"));
}

#[test]
fn docker_self_update_manifest_differs_only_in_the_secret() {
    let kind = TargetKind::Docker;
    let connect = render_manifest(&inputs(&kind, Some(SECRET)));
    let manifest = render_manifest(&inputs(&kind, None));
    assert_eq!(connect.replace(&format!("'{SECRET}'"), "''"), manifest);
    assert_eq!(compose_env(&manifest)["DISTR_TARGET_SECRET"], "");
}

#[test]
fn registry_keys_appear_only_when_enabled() {
    for kind in [TargetKind::Docker, cluster()] {
        let off = render_manifest(&inputs(&kind, Some(SECRET)));
        assert!(!off.contains("DISTR_REGISTRY_"), "{off}");
        let mut i = inputs(&kind, Some(SECRET));
        i.registry = Some(RegistrySettings {
            host: "reg:5000".to_owned(),
            plain_http: true,
        });
        let on = render_manifest(&i);
        assert!(on.contains("DISTR_REGISTRY_HOST: 'reg:5000'"), "{on}");
        assert!(on.contains("DISTR_REGISTRY_PLAIN_HTTP: 'true'"), "{on}");
    }
}

#[test]
fn image_repository_setting_changes_the_image() {
    for kind in [TargetKind::Docker, namespaced()] {
        let mut i = inputs(&kind, None);
        i.image_repository = "mirror.example.com/agents/x";
        assert!(render_manifest(&i).contains("'mirror.example.com/agents/x:2.7.1'"));
    }
}

#[test]
fn kubernetes_documents_come_in_spec_order() {
    let kind = cluster();
    let mut i = inputs(&kind, Some(SECRET));
    i.agent_docker_config = Some("{}");
    assert_eq!(
        kinds(&render_manifest(&i)),
        [
            "ConfigMap/distr-agent-env",
            "Secret/distr-agent-auth",
            "Secret/distr-agent-dockerconfig",
            "ServiceAccount/distr-agent",
            "ClusterRoleBinding/distr-agent-apps",
            "Deployment/distr-agent",
        ]
    );
    let kind = namespaced();
    assert_eq!(
        kinds(&render_manifest(&inputs(&kind, None))),
        [
            "ConfigMap/distr-agent-env",
            "ServiceAccount/distr-agent",
            "Role/namespace-admin",
            "RoleBinding/distr-agent",
            "Deployment/distr-agent",
        ]
    );
}

#[test]
fn every_kubernetes_variant_parses_into_kubernetes_types() {
    let r = resources();
    for kind in [cluster(), namespaced()] {
        for secret in [Some(SECRET), None] {
            for with_extras in [false, true] {
                let mut i = inputs(&kind, secret);
                if with_extras {
                    i.registry = registry();
                    i.agent_docker_config = Some("{\"auths\":{}}");
                    i.resources = Some(&r);
                }
                let docs = parse_all(&render_manifest(&i));
                assert!(
                    docs.iter()
                        .all(|d| d["metadata"].get("namespace").is_none())
                );
            }
        }
    }
}

#[test]
fn cluster_role_binding_names_the_namespace() {
    let kind = cluster();
    let text = render_manifest(&inputs(&kind, None));
    let doc = documents(&text)
        .into_iter()
        .find(|d| d.contains("ClusterRoleBinding"))
        .unwrap();
    let crb: ClusterRoleBinding = serde_saphyr::from_str(doc).unwrap();
    assert_eq!(crb.metadata.name.as_deref(), Some("distr-agent-apps"));
    assert_eq!(crb.role_ref.kind, "ClusterRole");
    assert_eq!(crb.role_ref.name, "cluster-admin");
    let subject = &crb.subjects.unwrap()[0];
    assert_eq!(
        (subject.kind.as_str(), subject.name.as_str()),
        ("ServiceAccount", "distr-agent")
    );
    assert_eq!(subject.namespace.as_deref(), Some("apps"));
}

fn agent_deployment(text: &str) -> Deployment {
    let doc = documents(text)
        .into_iter()
        .find(|d| d.contains("kind: Deployment"))
        .unwrap();
    serde_saphyr::from_str(doc).unwrap()
}

#[test]
fn deployment_uses_default_resources_without_target_resources() {
    let kind = cluster();
    let d = agent_deployment(&render_manifest(&inputs(&kind, None)));
    let spec = d.spec;
    assert_eq!(spec.replicas, Some(1));
    assert_eq!(spec.strategy.unwrap().type_.as_deref(), Some("Recreate"));
    let pod = spec.template.spec.unwrap();
    assert_eq!(pod.service_account_name.as_deref(), Some("distr-agent"));
    assert_eq!(pod.security_context.unwrap().run_as_non_root, Some(true));
    let c = &pod.containers[0];
    assert_eq!(
        c.image.as_deref(),
        Some("ghcr.io/example/kubernetes-agent:2.7.1")
    );
    let env = c.env.as_ref().unwrap();
    assert_eq!(env[1].name, "DISTR_AGENT_CONFIG_DIRS");
    assert_eq!(
        env[1].value.as_deref(),
        Some("/opt/config/.agent/env\n/opt/config/.agent/auth\n")
    );
    let res = c.resources.as_ref().unwrap();
    let limits = res.limits.as_ref().unwrap();
    assert_eq!(limits["memory"].0, "256Mi");
    assert_eq!(limits["cpu"].0, "500m");
    let requests = res.requests.as_ref().unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests["memory"].0, "256Mi");
}

#[test]
fn deployment_uses_the_four_target_resources() {
    let kind = cluster();
    let r = resources();
    let mut i = inputs(&kind, None);
    i.resources = Some(&r);
    let d = agent_deployment(&render_manifest(&i));
    let pod = d.spec.template.spec.unwrap();
    let res = pod.containers[0].resources.clone().unwrap();
    let limits = res.limits.unwrap();
    let requests = res.requests.unwrap();
    assert_eq!(
        (limits["memory"].0.as_str(), limits["cpu"].0.as_str()),
        ("512Mi", "1")
    );
    assert_eq!(
        (requests["memory"].0.as_str(), requests["cpu"].0.as_str()),
        ("128Mi", "100m")
    );
}

#[test]
fn docker_config_secret_holds_the_base64_config() {
    let kind = cluster();
    let config = r#"{"auths":{"x":{"auth":"eTp6"}}}"#;
    let mut i = inputs(&kind, None);
    i.agent_docker_config = Some(config);
    let text = render_manifest(&i);
    let doc = documents(&text)
        .into_iter()
        .find(|d| d.contains("distr-agent-dockerconfig\ntype"))
        .unwrap();
    let secret: Secret = serde_saphyr::from_str(doc).unwrap();
    assert_eq!(secret.data.unwrap()["config.json"].0, config.as_bytes());
    i.agent_docker_config = Some("");
    assert!(!render_manifest(&i).contains("kind: Secret"));
}

const AWKWARD: &str = "it's \"quoted\" $HOME ${X} $$ a: b #c\n- line2\n\ttab \\ end ";

#[test]
fn awkward_values_round_trip_in_kubernetes_manifests() {
    let kind = cluster();
    let mut i = inputs(&kind, Some(AWKWARD));
    i.interval = AWKWARD;
    i.registry = Some(RegistrySettings {
        host: AWKWARD.to_owned(),
        plain_http: false,
    });
    let text = render_manifest(&i);
    let docs = parse_all(&text);
    assert_eq!(docs[0]["data"]["DISTR_INTERVAL"], AWKWARD);
    assert_eq!(docs[0]["data"]["DISTR_REGISTRY_HOST"], AWKWARD);
    assert_eq!(docs[1]["stringData"]["DISTR_TARGET_SECRET"], AWKWARD);
}

#[test]
fn awkward_values_round_trip_in_compose_after_interpolation() {
    let kind = TargetKind::Docker;
    let mut i = inputs(&kind, Some(AWKWARD));
    i.version_name = AWKWARD;
    i.registry = Some(RegistrySettings {
        host: AWKWARD.to_owned(),
        plain_http: false,
    });
    let text = render_manifest(&i);
    let env = compose_env(&text);
    // Compose turns `$$` into `$`; no single `$` may remain to interpolate.
    let unescape = |s: &str| {
        assert!(!s.replace("$$", "").contains('$'), "unescaped $ in {s:?}");
        s.replace("$$", "$")
    };
    assert_eq!(unescape(&env["DISTR_TARGET_SECRET"]), AWKWARD);
    assert_eq!(unescape(&env["DISTR_REGISTRY_HOST"]), AWKWARD);
    let v: Value = serde_saphyr::from_str(&text).unwrap();
    let image = v["services"]["agent"]["image"].as_str().unwrap();
    assert_eq!(
        unescape(image),
        format!("ghcr.io/example/docker-agent:{AWKWARD}")
    );
}

#[test]
fn connect_url_has_the_credentials_in_order() {
    assert_eq!(
        connect_url(BASE, target(), SECRET),
        format!(
            "{BASE}/api/v1/connect?targetId={}&targetSecret={SECRET}",
            target()
        )
    );
    assert_eq!(
        pre_connect_url(BASE, target(), "a b&c"),
        format!(
            "{BASE}/api/v1/pre-connect?targetId={}&targetSecret=a%20b%26c",
            target()
        )
    );
}

#[test]
fn connect_commands_per_target_type() {
    let url = connect_url(BASE, target(), SECRET);
    let pre = pre_connect_url(BASE, target(), SECRET);
    let docker = TargetKind::Docker;
    assert_eq!(
        connect_command(BASE, target(), SECRET, &docker, false, true),
        format!("curl -fsSL '{url}' | docker compose -f - up -d")
    );
    assert_eq!(
        connect_command(BASE, target(), SECRET, &docker, true, false),
        format!("curl -fsSL '{pre}' | sh")
    );
    assert_eq!(
        connect_command(BASE, target(), SECRET, &docker, true, true),
        format!("curl -fsSL '{pre}' | sudo sh")
    );
    assert_eq!(
        connect_command(BASE, target(), SECRET, &cluster(), true, true),
        format!("kubectl apply -n apps -f \"{url}\"")
    );
}

#[test]
fn pre_connect_script_without_scripts() {
    assert_eq!(
        pre_connect_script("https://h/c?x=1", None, Some("  \n")),
        "#!/bin/sh\n# Connect to Distr agent\ncurl -fsSL 'https://h/c?x=1' | docker compose -f - up -d"
    );
}

#[test]
fn pre_connect_script_with_both_scripts() {
    assert_eq!(
        pre_connect_script("U", Some("echo pre"), Some("echo post")),
        "#!/bin/sh\n# Pre-connect script\necho pre\n\n# Connect to Distr agent\n\
         curl -fsSL 'U' | docker compose -f - up -d\n\n# Post-connect script\necho post\n"
    );
}
