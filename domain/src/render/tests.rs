use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

use super::*;
use crate::deployment::RevisionTrigger;
use crate::ids::{ApplicationId, ApplicationVersionId, DeploymentId, RevisionId, TargetId};
use crate::names::Name;

const COMPOSE: &str =
    "# my app\nname: original\nservices:\n  web:\n    image: nginx # pinned later\n";

fn deployment(id: u128, docker_type: Option<DockerType>, release_name: Option<&str>) -> Deployment {
    Deployment {
        id: DeploymentId::from_uuid(Uuid::from_u128(id)),
        deployment_target_id: TargetId::from_uuid(Uuid::from_u128(7)),
        application_id: ApplicationId::from_uuid(Uuid::from_u128(8)),
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        docker_type,
        release_name: release_name.map(str::to_owned),
        logs_enabled: true,
    }
}

fn revision(env: Option<&str>, values: Option<&str>) -> DeploymentRevision {
    DeploymentRevision {
        id: RevisionId::from_uuid(Uuid::from_u128(0x99)),
        deployment_id: DeploymentId::from_uuid(Uuid::from_u128(1)),
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 1).unwrap(),
        application_version_id: ApplicationVersionId::from_uuid(Uuid::from_u128(9)),
        values_yaml: values.map(str::to_owned),
        env_file_data: env.map(str::to_owned),
        force_restart: true,
        ignore_revision_skew: true,
        created_by_user_account_id: None,
        trigger: RevisionTrigger::User,
    }
}

fn version(content: VersionContent) -> ApplicationVersion {
    ApplicationVersion {
        id: ApplicationVersionId::from_uuid(Uuid::from_u128(9)),
        application_id: ApplicationId::from_uuid(Uuid::from_u128(8)),
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        name: Name::parse("name", "1.0.0").unwrap(),
        archived_at: None,
        content,
    }
}

fn docker_version(compose: &str) -> ApplicationVersion {
    version(VersionContent::Docker {
        compose_file: compose.to_owned(),
        template_file: None,
    })
}

fn helm_version(chart_type: ChartType, base_values: Option<&str>) -> ApplicationVersion {
    let (url, name) = match chart_type {
        ChartType::Oci => ("oci://ghcr.io/acme/charts/app", None),
        ChartType::Repository => ("https://charts.acme.com", Some("app".to_owned())),
    };
    version(VersionContent::Kubernetes {
        chart_type,
        chart_url: url.to_owned(),
        chart_name: name,
        chart_version: "1.2.3".to_owned(),
        values_file: base_values.map(str::to_owned),
        template_file: Some("ignored: {{ .Nothing }}".to_owned()),
    })
}

fn secrets() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("DB_PASSWORD".to_owned(), "s3cr3t-value".to_owned()),
        ("TOKEN".to_owned(), "tok: en\nvalue".to_owned()),
    ])
}

fn input<'a>(
    d: &'a Deployment,
    r: &'a DeploymentRevision,
    v: &'a ApplicationVersion,
    s: &'a BTreeMap<String, String>,
) -> RenderInput<'a> {
    RenderInput {
        deployment: d,
        revision: r,
        version: v,
        secrets: s,
        registry_auth: None,
    }
}

fn compose_root(out: &AgentDeployment) -> Value {
    let text = String::from_utf8(out.compose_file.clone().unwrap()).unwrap();
    // The crate's YAML reader: it also accepts null and complex keys.
    crate::values::parse_yaml_value(&text).unwrap()
}

#[test]
fn docker_payload_sets_the_project_name_and_renders_the_env_file() {
    let d = deployment(0xabcd_ef01_0000_0000_0000_0000_0000_0001, None, None);
    let r = revision(Some("PASSWORD={{ .Secrets.DB_PASSWORD }}\nA=b\n"), None);
    let v = docker_version(COMPOSE);
    let s = secrets();
    let out = render_deployment(&input(&d, &r, &v, &s)).unwrap();
    assert_eq!(out.id, d.id);
    assert_eq!(out.revision_id, r.id);
    assert_eq!(compose_root(&out)["name"], "distr-abcdef01");
    assert_eq!(compose_root(&out)["services"]["web"]["image"], "nginx");
    assert_eq!(
        out.env_file.as_deref(),
        Some(b"PASSWORD=s3cr3t-value\nA=b\n".as_slice())
    );
    assert_eq!(out.docker_type, Some(DockerType::Compose));
    assert!(out.logs_enabled && out.force_restart);
    assert!(
        !out.ignore_revision_skew,
        "docker never ignores revision skew"
    );
    assert_eq!(
        (out.release_name.as_str(), out.chart_url.as_str()),
        ("", "")
    );
    assert_eq!(
        (out.chart_name.as_str(), out.chart_version.as_str()),
        ("", "")
    );
    assert_eq!(out.values, None);
}

#[test]
fn docker_payload_without_env_file_sends_null_and_keeps_swarm() {
    let d = deployment(1, Some(DockerType::Swarm), None);
    let r = revision(None, None);
    let v = docker_version("services:\n  a:\n    image: x\n");
    let s = BTreeMap::new();
    let out = render_deployment(&input(&d, &r, &v, &s)).unwrap();
    assert_eq!(out.env_file, None);
    assert_eq!(out.docker_type, Some(DockerType::Swarm));
    assert_eq!(compose_root(&out)["name"], "distr-00000000");
}

#[test]
fn registry_auth_is_passed_through() {
    let d = deployment(1, None, None);
    let r = revision(None, None);
    let v = docker_version(COMPOSE);
    let s = BTreeMap::new();
    let auth = BTreeMap::from([(
        "reg.example.com".to_owned(),
        RegistryCredentials {
            username: "u".to_owned(),
            password: "p".to_owned(),
        },
    )]);
    let mut i = input(&d, &r, &v, &s);
    i.registry_auth = Some(auth.clone());
    assert_eq!(render_deployment(&i).unwrap().registry_auth, Some(auth));
}

#[test]
fn missing_secret_in_env_file_is_a_template_error_naming_the_key() {
    let d = deployment(1, None, None);
    let r = revision(Some("X={{ .Secrets.NOPE }}"), None);
    let v = docker_version(COMPOSE);
    let s = secrets();
    let err = render_deployment(&input(&d, &r, &v, &s)).unwrap_err();
    assert!(
        matches!(
            err,
            RenderError::Template {
                file: "env file",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "env file: secret \"NOPE\" does not exist");
    assert_eq!(check_renderable(&input(&d, &r, &v, &s)), Err(err));
}

#[test]
fn unparsable_compose_is_a_compose_error() {
    let d = deployment(1, None, None);
    let r = revision(None, None);
    let s = BTreeMap::new();
    for compose in ["- a\n- b\n", "services: [\n"] {
        let v = docker_version(compose);
        let err = render_deployment(&input(&d, &r, &v, &s)).unwrap_err();
        assert!(
            matches!(err, RenderError::Compose(_)),
            "{compose:?}: {err:?}"
        );
    }
}

#[test]
fn kubernetes_payload_merges_rendered_values_onto_the_base() {
    let d = deployment(1, None, Some("my-release"));
    let r = revision(
        None,
        Some("db:\n  password: '{{ .Secrets.DB_PASSWORD }}'\nlist: [3]\n"),
    );
    let v = helm_version(
        ChartType::Repository,
        Some("db:\n  host: pg\n  password: x\nlist: [1, 2]\nkeep: true\n"),
    );
    let s = secrets();
    let out = render_deployment(&input(&d, &r, &v, &s)).unwrap();
    assert_eq!(
        out.values,
        Some(json!({"db": {"host": "pg", "password": "s3cr3t-value"}, "list": [3], "keep": true}))
    );
    assert_eq!(out.release_name, "my-release");
    assert_eq!(out.chart_url, "https://charts.acme.com");
    assert_eq!(out.chart_name, "app");
    assert_eq!(out.chart_version, "1.2.3");
    assert_eq!(
        (out.compose_file, out.env_file, out.docker_type),
        (None, None, None)
    );
    assert!(out.ignore_revision_skew && out.force_restart);
}

#[test]
fn kubernetes_payload_without_values_is_an_empty_object_and_oci_has_no_chart_name() {
    let d = deployment(1, None, Some("r"));
    let r = revision(None, None);
    let v = helm_version(ChartType::Oci, None);
    let s = BTreeMap::new();
    let out = render_deployment(&input(&d, &r, &v, &s)).unwrap();
    assert_eq!(out.values, Some(json!({})));
    assert_eq!(out.chart_name, "");
    assert_eq!(out.chart_url, "oci://ghcr.io/acme/charts/app");
}

#[test]
fn values_clash_is_a_merge_error_with_the_path() {
    let d = deployment(1, None, Some("r"));
    let r = revision(None, Some("a:\n  b:\n    c: 1\n"));
    let v = helm_version(ChartType::Oci, Some("a:\n  b: 5\n"));
    let s = BTreeMap::new();
    let err = render_deployment(&input(&d, &r, &v, &s)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "error merging values files: merge error at a.b: can not merge map into non-map type"
    );
}

#[test]
fn non_mapping_values_are_a_values_error() {
    let d = deployment(1, None, Some("r"));
    let r = revision(None, Some("- 1\n"));
    let v = helm_version(ChartType::Oci, None);
    let s = BTreeMap::new();
    let err = render_deployment(&input(&d, &r, &v, &s)).unwrap_err();
    assert!(
        matches!(err, RenderError::Values(ValuesError::NotAMapping)),
        "{err:?}"
    );
}

#[test]
fn values_errors_never_reveal_secret_values() {
    let d = deployment(1, None, Some("r"));
    let s = secrets();
    // The rendered secret breaks the YAML (it contains `: ` and a newline).
    for values in [
        "token: {{ .Secrets.TOKEN }}\n",
        "x: '{{ .Secrets.DB_PASSWORD }}\n",
        "? {{ .Secrets.DB_PASSWORD }}\n: [\n",
    ] {
        let r = revision(None, Some(values));
        let v = helm_version(ChartType::Oci, Some("token: {a: 1}\n"));
        if let Err(err) = render_deployment(&input(&d, &r, &v, &s)) {
            let text = err.to_string();
            assert!(
                !text.contains("s3cr3t") && !text.contains("tok: en"),
                "{text}"
            );
        }
    }
}

#[test]
fn version_type_must_match_the_deployment() {
    let s = BTreeMap::new();
    let r = revision(None, None);
    let docker = docker_version(COMPOSE);
    let helm = helm_version(ChartType::Oci, None);
    let k8s_deployment = deployment(1, None, Some("r"));
    let docker_deployment = deployment(1, Some(DockerType::Compose), None);
    for (d, v) in [(&k8s_deployment, &docker), (&docker_deployment, &helm)] {
        assert_eq!(
            render_deployment(&input(d, &r, v, &s)),
            Err(RenderError::TypeMismatch)
        );
    }
}

proptest! {
    #[test]
    fn rendering_never_panics_and_docker_output_has_the_project_name(
        id in any::<u128>(),
        compose in "(name: x\n)?(services:\n  web:\n    image: nginx\n)?[ -~\n]{0,40}",
        env in proptest::option::of("[ -~\n]{0,60}"),
    ) {
        let d = deployment(id, None, None);
        let r = revision(env.as_deref(), None);
        let v = docker_version(&compose);
        let s = secrets();
        if let Ok(out) = render_deployment(&input(&d, &r, &v, &s)) {
            let root = compose_root(&out);
            let expected = format!("distr-{}", &d.id.to_string()[..8]);
            prop_assert_eq!(root["name"].as_str(), Some(expected.as_str()));
        }
    }

    #[test]
    fn kubernetes_rendering_never_panics(
        base in proptest::option::of("[ -~\n]{0,60}"),
        values in proptest::option::of("[ -~\n]{0,60}"),
    ) {
        let d = deployment(1, None, Some("r"));
        let r = revision(None, values.as_deref());
        let v = helm_version(ChartType::Repository, base.as_deref());
        let s = secrets();
        if let Ok(out) = render_deployment(&input(&d, &r, &v, &s)) {
            prop_assert!(out.values.as_ref().is_some_and(Value::is_object));
        }
    }
}
