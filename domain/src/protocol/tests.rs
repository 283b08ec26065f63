use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::*;

fn version() -> AgentVersionRef {
    AgentVersionRef {
        id: AgentVersionId::from_uuid(Uuid::from_u128(1)),
        created_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        name: "1.2.3".to_owned(),
    }
}

fn docker_deployment() -> AgentDeployment {
    AgentDeployment {
        id: DeploymentId::from_uuid(Uuid::from_u128(2)),
        revision_id: RevisionId::from_uuid(Uuid::from_u128(3)),
        registry_auth: None,
        logs_enabled: true,
        force_restart: false,
        compose_file: Some(b"name: distr-00000000\n".to_vec()),
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

fn resource(deployments: Vec<AgentDeployment>, namespace: Option<&str>) -> AgentResource {
    AgentResource {
        version: version(),
        namespace: namespace.map(str::to_owned),
        metrics_enabled: true,
        deployments,
    }
}

#[test]
fn docker_target_without_deployments_omits_namespace_and_deployments() {
    let json = serde_json::to_value(resource(vec![], None)).unwrap();
    assert_eq!(
        json,
        json!({
            "version": {"id": "00000000-0000-0000-0000-000000000001",
                        "createdAt": "2026-01-02T03:04:05Z", "name": "1.2.3"},
            "metricsEnabled": true
        })
    );
}

#[test]
fn empty_namespace_is_omitted_and_a_real_one_is_sent() {
    let empty = serde_json::to_value(resource(vec![], Some(""))).unwrap();
    assert!(empty.get("namespace").is_none());
    let set = serde_json::to_value(resource(vec![], Some("apps"))).unwrap();
    assert_eq!(set["namespace"], "apps");
}

#[test]
fn agent_deployment_always_has_all_fourteen_keys() {
    let json = serde_json::to_value(docker_deployment()).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "id",
        "revisionId",
        "registryAuth",
        "logsEnabled",
        "forceRestart",
        "composeFile",
        "envFile",
        "dockerType",
        "releaseName",
        "chartUrl",
        "chartName",
        "chartVersion",
        "values",
        "ignoreRevisionSkew",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(json["envFile"], Value::Null);
    assert_eq!(json["values"], Value::Null);
    assert_eq!(json["registryAuth"], Value::Null);
    assert_eq!(json["chartUrl"], "");
    assert_eq!(json["dockerType"], "compose");
}

#[test]
fn bytes_are_padded_standard_base64() {
    let mut d = docker_deployment();
    d.compose_file = Some(b"a?>".to_vec());
    d.env_file = Some(b"ab".to_vec());
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["composeFile"], "YT8+");
    assert_eq!(json["envFile"], "YWI=");
}

#[test]
fn agent_deployment_round_trips() {
    let mut d = docker_deployment();
    d.env_file = Some(b"A=1\n".to_vec());
    d.registry_auth = Some(BTreeMap::from([(
        "registry.example.com".to_owned(),
        RegistryCredentials {
            username: "u".to_owned(),
            password: "p".to_owned(),
        },
    )]));
    d.values = Some(json!({"a": {"b": [1, 2]}}));
    let text = serde_json::to_string(&d).unwrap();
    let back: AgentDeployment = serde_json::from_str(&text).unwrap();
    assert_eq!(back, d);
}

#[test]
fn decoding_ignores_unknown_keys_and_treats_absent_and_null_as_zero() {
    let d: AgentDeployment = serde_json::from_value(json!({
        "id": "00000000-0000-0000-0000-000000000002",
        "revisionId": "00000000-0000-0000-0000-000000000003",
        "logsEnabled": null,
        "releaseName": null,
        "composeFile": null,
        "somethingNew": {"x": 1}
    }))
    .unwrap();
    assert!(!d.logs_enabled);
    assert_eq!(d.release_name, "");
    assert_eq!(d.compose_file, None);
    assert_eq!(d.docker_type, None);
    assert_eq!(d.values, None);
}

#[test]
fn missing_deployments_key_decodes_as_empty() {
    let r: AgentResource = serde_json::from_value(json!({
        "version": {"id": "00000000-0000-0000-0000-000000000001", "createdAt": "2026-01-02T04:04:05+01:00", "name": "x"},
        "metricsEnabled": false
    }))
    .unwrap();
    assert!(r.deployments.is_empty());
    assert_eq!(r.version.created_at, version().created_at);
}

#[test]
fn undecodable_bytes_make_the_deployment_malformed() {
    let result: Result<AgentDeployment, _> = serde_json::from_value(json!({
        "id": "00000000-0000-0000-0000-000000000002",
        "revisionId": "00000000-0000-0000-0000-000000000003",
        "composeFile": "not base64!"
    }));
    assert!(result.is_err());
}

#[test]
fn non_uuid_deployment_id_is_rejected() {
    let result: Result<AgentDeployment, _> = serde_json::from_value(json!({
        "id": "abc",
        "revisionId": "00000000-0000-0000-0000-000000000003"
    }));
    assert!(result.is_err());
}

#[test]
fn unknown_docker_type_decodes_as_null() {
    let d: AgentDeployment = serde_json::from_value(json!({
        "id": "00000000-0000-0000-0000-000000000002",
        "revisionId": "00000000-0000-0000-0000-000000000003",
        "dockerType": "kubernetes"
    }))
    .unwrap();
    assert_eq!(d.docker_type, None);
}

#[test]
fn debug_output_hides_secrets() {
    let mut d = docker_deployment();
    d.env_file = Some(b"PASSWORD=hunter2-env\n".to_vec());
    d.values = Some(json!({"db": {"password": "hunter2-values"}}));
    d.registry_auth = Some(BTreeMap::from([(
        "reg.example.com".to_owned(),
        RegistryCredentials {
            username: "robot".to_owned(),
            password: "hunter2-reg".to_owned(),
        },
    )]));
    let text = format!("{d:?}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("reg.example.com"));
    let login = LoginResponse {
        token: "jwt-secret-token".to_owned(),
    };
    assert!(!format!("{login:?}").contains("jwt-secret-token"));
}

#[test]
fn status_report_is_lenient() {
    let r: StatusReport =
        serde_json::from_str(r#"{"revisionId":"x","type":"ok","extra":1}"#).unwrap();
    assert_eq!(r.revision_id.as_deref(), Some("x"));
    assert_eq!(r.status_type.as_deref(), Some("ok"));
    assert_eq!(r.message, None);
    let empty: StatusReport = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, StatusReport::default());
}

#[test]
fn metrics_report_uses_camel_case() {
    let m: MetricsReport = serde_json::from_str(
        r#"{"cpuCoresMillis":4000,"cpuUsage":0.25,"memoryBytes":1024,"memoryUsage":0.5}"#,
    )
    .unwrap();
    assert_eq!(
        m,
        MetricsReport {
            cpu_cores_millis: 4000,
            cpu_usage: 0.25,
            memory_bytes: 1024,
            memory_usage: 0.5
        }
    );
}

#[test]
fn log_record_input_accepts_any_offset() {
    let r: LogRecordInput = serde_json::from_value(json!({
        "deploymentId": "00000000-0000-0000-0000-000000000002",
        "deploymentRevisionId": "00000000-0000-0000-0000-000000000003",
        "resource": "web-1",
        "timestamp": "2026-01-02T05:04:05.123456789+02:00",
        "severity": "Log",
        "body": "hello"
    }))
    .unwrap();
    assert_eq!(
        r.timestamp.to_rfc3339(),
        "2026-01-02T03:04:05.123456789+00:00"
    );
    assert_eq!(r.resource, "web-1");
}

#[test]
fn target_log_input_ignores_the_legacy_id() {
    let logs: Vec<TargetLogInput> = serde_json::from_str(
        r#"[{"id":"00000000-0000-0000-0000-000000000000","timestamp":"2026-01-02T03:04:05Z","severity":"info","body":"b"}]"#,
    )
    .unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].severity, "info");
}

#[test]
fn encoding_is_deterministic_and_the_etag_follows_the_body() {
    let mut k8s = docker_deployment();
    k8s.values = Some(json!({"z": 1, "a": {"y": 2, "b": 3}}));
    let r = resource(vec![docker_deployment(), k8s.clone()], Some("apps"));
    let (body1, etag1) = encode_agent_resource(&r);
    let (body2, etag2) = encode_agent_resource(&r.clone());
    assert_eq!(body1, body2);
    assert_eq!(etag1, etag2);
    assert!(etag1.starts_with('"') && etag1.ends_with('"'), "{etag1}");

    let decoded: AgentResource = serde_json::from_slice(&body1).unwrap();
    assert_eq!(decoded, r);

    let mut changed = r;
    changed.metrics_enabled = false;
    let (body3, etag3) = encode_agent_resource(&changed);
    assert_ne!(body1, body3);
    assert_ne!(etag1, etag3);
}

#[test]
fn encoding_sorts_values_keys() {
    let mut d = docker_deployment();
    d.values = Some(json!({"zeta": 1, "alpha": {"y": 2, "b": 3}}));
    let (body, _) = encode_agent_resource(&resource(vec![d], None));
    let text = String::from_utf8(body).unwrap();
    let alpha = text.find("\"alpha\"").unwrap();
    let zeta = text.find("\"zeta\"").unwrap();
    assert!(alpha < zeta, "{text}");
    assert!(text.find("\"b\"").unwrap() < text.find("\"y\"").unwrap());
}

#[test]
fn version_needs_only_an_id() {
    let r: AgentResource = serde_json::from_value(
        json!({"version": {"id": "00000000-0000-0000-0000-000000000001", "createdAt": null}}),
    )
    .unwrap();
    assert_eq!(r.version.created_at, DateTime::<Utc>::default());
    assert_eq!(r.version.name, "");
    assert!(!r.metrics_enabled);
    let missing_id: Result<AgentResource, _> =
        serde_json::from_value(json!({"version": {"name": "x"}}));
    assert!(missing_id.is_err());
}
