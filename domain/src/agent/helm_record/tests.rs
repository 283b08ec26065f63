use super::*;

const ID: &str = "0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b";
const REV: &str = "0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c";

fn record(id: DeploymentId, release: &str) -> HelmRecord {
    HelmRecord {
        id,
        revision_id: REV.parse().unwrap(),
        release_name: release.to_owned(),
        helm_revision: 3,
        logs_enabled: true,
    }
}

#[test]
fn record_serializes_with_upstream_keys_in_upstream_order() {
    let raw = format!(
        r#"{{"id":"{ID}","revisionId":"{REV}","releaseName":"web","helmRevision":3,"logsEnabled":true}}"#
    );
    let decoded: HelmRecord = serde_json::from_str(&raw).unwrap();
    assert_eq!(decoded, record(ID.parse().unwrap(), "web"));
    assert_eq!(serde_json::to_string(&decoded).unwrap(), raw);
}

#[test]
fn absent_keys_decode_as_zero_values_like_go() {
    let decoded: HelmRecord = serde_json::from_str(r#"{"releaseName":"old"}"#).unwrap();
    assert_eq!(decoded.id, DeploymentId::nil());
    assert_eq!(decoded.revision_id, RevisionId::nil());
    assert_eq!(decoded.helm_revision, 0);
    assert!(!decoded.logs_enabled);
    assert_eq!(
        serde_json::to_string(&decoded).unwrap(),
        r#"{"id":"00000000-0000-0000-0000-000000000000","revisionId":"00000000-0000-0000-0000-000000000000","releaseName":"old","helmRevision":0,"logsEnabled":false}"#
    );
}

#[test]
fn unknown_keys_are_ignored_and_bad_ids_rejected() {
    let ok: HelmRecord =
        serde_json::from_str(r#"{"releaseName":"a","extra":{"x":1},"helmRevision":7}"#).unwrap();
    assert_eq!(ok.helm_revision, 7);
    assert!(serde_json::from_str::<HelmRecord>(r#"{"id":"not-a-uuid"}"#).is_err());
}

#[test]
fn a_record_matches_by_id_and_a_legacy_record_by_release_name() {
    let id: DeploymentId = ID.parse().unwrap();
    let other: DeploymentId = REV.parse().unwrap();
    let current = record(id, "web");
    assert!(current.matches(id, "renamed"));
    assert!(!current.matches(other, "web"));

    let legacy = record(DeploymentId::nil(), "web");
    assert!(legacy.matches(other, "web"));
    assert!(!legacy.matches(other, "db"));
}

#[test]
fn secret_names_follow_upstream() {
    assert_eq!(state_secret_name("web"), "sh.distr.agent.v1.web");
    assert_eq!(pull_secret_name("web"), "sh.distr.agent.v1.web.pull");
    assert_eq!(
        record(DeploymentId::nil(), "db").secret_name(),
        "sh.distr.agent.v1.db"
    );
}
