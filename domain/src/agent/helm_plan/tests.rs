use chrono::DateTime;
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::ids::{AgentVersionId, DeploymentId};
use crate::protocol::AgentVersionRef;

pub(super) const VERSION: u128 = 0xabc;

pub(super) fn deployment(id: u128, revision: u128, release: &str) -> AgentDeployment {
    AgentDeployment {
        id: DeploymentId::from_uuid(Uuid::from_u128(id)),
        revision_id: RevisionId::from_uuid(Uuid::from_u128(revision)),
        registry_auth: None,
        logs_enabled: false,
        force_restart: false,
        compose_file: None,
        env_file: None,
        docker_type: None,
        release_name: release.to_owned(),
        chart_url: "https://charts.example.com".to_owned(),
        chart_name: "web".to_owned(),
        chart_version: "1.2.3".to_owned(),
        values: Some(json!({})),
        ignore_revision_skew: false,
    }
}

pub(super) fn record(id: u128, revision: u128, release: &str, helm_revision: i64) -> HelmRecord {
    HelmRecord {
        id: DeploymentId::from_uuid(Uuid::from_u128(id)),
        revision_id: RevisionId::from_uuid(Uuid::from_u128(revision)),
        release_name: release.to_owned(),
        helm_revision,
        logs_enabled: false,
    }
}

pub(super) fn resource(deployments: Vec<AgentDeployment>) -> AgentResource {
    AgentResource {
        version: AgentVersionRef {
            id: AgentVersionId::from_uuid(Uuid::from_u128(VERSION)),
            created_at: DateTime::UNIX_EPOCH,
            name: "1.0.0".to_owned(),
        },
        namespace: Some("apps".to_owned()),
        metrics_enabled: false,
        deployments,
    }
}

fn plan(desired: &AgentResource, records: &[HelmRecord], own: &str) -> HelmPlan {
    plan_helm(&HelmPlanInput {
        desired,
        records,
        own_version_id: own,
    })
}

#[test]
fn records_without_a_deployment_are_uninstalled_and_the_rest_are_matched() {
    let desired = resource(vec![deployment(1, 10, "a"), deployment(2, 20, "b")]);
    let records = [record(1, 10, "a", 1), record(3, 30, "c", 4)];
    let plan = plan(&desired, &records, "");
    assert_eq!(plan.uninstall, vec![record(3, 30, "c", 4)]);
    assert_eq!(
        plan.targets,
        vec![
            HelmTarget {
                index: 0,
                record: Some(record(1, 10, "a", 1)),
            },
            HelmTarget {
                index: 1,
                record: None,
            },
        ]
    );
    assert_eq!(plan.namespace, "apps");
    assert!(!plan.self_update);
}

#[test]
fn a_legacy_record_matches_by_release_name_only() {
    let desired = resource(vec![deployment(1, 10, "a")]);
    let legacy_same = record(0, 10, "a", 2);
    let legacy_other = record(0, 10, "z", 2);
    let plan = plan(&desired, &[legacy_same.clone(), legacy_other.clone()], "");
    assert_eq!(plan.uninstall, vec![legacy_other]);
    assert_eq!(plan.targets[0].record, Some(legacy_same));
}

#[test]
fn a_record_with_the_same_release_name_but_another_id_is_an_orphan() {
    let desired = resource(vec![deployment(1, 10, "a")]);
    let plan = plan(&desired, &[record(9, 10, "a", 1)], "");
    assert_eq!(plan.uninstall.len(), 1);
    assert_eq!(plan.targets[0].record, None);
}

#[test]
fn an_empty_desired_state_uninstalls_every_record() {
    let desired = resource(vec![]);
    let records = [record(1, 10, "a", 1), record(0, 10, "b", 1)];
    assert_eq!(plan(&desired, &records, "").uninstall, records.to_vec());
}

#[test]
fn self_update_follows_the_version_id() {
    let desired = resource(vec![]);
    let own = Uuid::from_u128(VERSION).to_string();
    assert!(!plan(&desired, &[], &own).self_update);
    assert!(!plan(&desired, &[], "").self_update);
    assert!(plan(&desired, &[], &Uuid::from_u128(7).to_string()).self_update);
}

#[test]
fn skew_guard_cases() {
    let d = deployment(1, 10, "web");
    let r = record(1, 10, "web", 3);
    assert_eq!(
        skew_guard(&d, Some(&r), &ReleaseLookup::NotFound),
        SkewVerdict::Proceed
    );
    assert_eq!(
        skew_guard(&d, None, &ReleaseLookup::NotFound),
        SkewVerdict::Proceed
    );
    assert_eq!(
        skew_guard(&d, Some(&r), &ReleaseLookup::Found(3)),
        SkewVerdict::Proceed
    );
    assert_eq!(
        skew_guard(&d, None, &ReleaseLookup::Found(1)),
        SkewVerdict::Refuse(
            "helm release web already exists but was not created by the agent".to_owned()
        )
    );
    let skew = "actual helm revision for web (5) is different from latest deployed by agent (3)"
        .to_owned();
    assert_eq!(
        skew_guard(&d, Some(&r), &ReleaseLookup::Found(5)),
        SkewVerdict::Refuse(skew.clone())
    );
    let ignoring = AgentDeployment {
        ignore_revision_skew: true,
        ..d.clone()
    };
    assert_eq!(
        skew_guard(&ignoring, Some(&r), &ReleaseLookup::Found(5)),
        SkewVerdict::ProceedDespite(skew)
    );
    assert_eq!(
        skew_guard(&ignoring, Some(&r), &ReleaseLookup::Failed("boom".into())),
        SkewVerdict::Refuse("could not get latest helm revision: boom".to_owned())
    );
}

#[test]
fn actions_follow_record_and_revision() {
    let d = deployment(1, 10, "web");
    assert_eq!(helm_action(&d, None, None), HelmAction::Install);
    let old = record(1, 9, "web", 2);
    assert_eq!(
        helm_action(&d, Some(&old), None),
        HelmAction::Upgrade {
            record: old.clone()
        }
    );
    let same = record(1, 10, "web", 2);
    assert_eq!(
        helm_action(&d, Some(&same), None),
        HelmAction::Check {
            record: same.clone()
        }
    );
    let logs_on = AgentDeployment {
        logs_enabled: true,
        ..d.clone()
    };
    assert_eq!(
        helm_action(&logs_on, Some(&same), None),
        HelmAction::UpdateRecord {
            record: HelmRecord {
                logs_enabled: true,
                ..same
            }
        }
    );
}

#[test]
fn a_rolled_back_upgrade_waits_for_a_new_revision() {
    let d = deployment(1, 10, "web");
    let previous = record(1, 9, "web", 2);
    let after = record_after_rollback(&previous, 4);
    assert_eq!(after.helm_revision, 4);
    assert_eq!(after.revision_id, previous.revision_id);
    // The next tick: no skew, and no second upgrade of the same revision.
    assert_eq!(
        skew_guard(&d, Some(&after), &ReleaseLookup::Found(4)),
        SkewVerdict::Proceed
    );
    assert_eq!(
        helm_action(&d, Some(&after), Some(d.revision_id)),
        HelmAction::AwaitNewRevision
    );
    let newer = deployment(1, 11, "web");
    assert_eq!(
        helm_action(&newer, Some(&after), Some(d.revision_id)),
        HelmAction::Upgrade { record: after }
    );
}

#[test]
fn the_record_after_an_operation_carries_the_new_helm_revision() {
    let d = AgentDeployment {
        logs_enabled: true,
        ..deployment(1, 10, "web")
    };
    let r = record_after_operation(&d, 7);
    assert_eq!(
        r,
        HelmRecord {
            logs_enabled: true,
            ..record(1, 10, "web", 7)
        }
    );
}

#[test]
fn chart_reference_is_oci_or_repository() {
    let mut d = deployment(1, 10, "web");
    assert_eq!(
        HelmChart::of(&d),
        HelmChart::Repository {
            url: "https://charts.example.com".into(),
            name: "web".into(),
            version: "1.2.3".into(),
        }
    );
    d.chart_url = "oci://registry.example.com/charts/web".into();
    d.chart_name = String::new();
    let chart = HelmChart::of(&d);
    assert!(chart.is_oci());
    assert_eq!(chart.version(), "1.2.3");
}

#[test]
fn pull_secret_is_appended_to_existing_lists_in_mappings_only() {
    let values = json!({
        "imagePullSecrets": [{"name": "own"}],
        "sub": {"pullSecrets": [], "deeper": {"imagePullSecrets": []}},
        "list": [{"imagePullSecrets": []}],
        "notAList": {"imagePullSecrets": "x"},
        "global": {"other": 1}
    });
    let pull = json!({"name": "sh.distr.agent.v1.web.pull"});
    assert_eq!(
        with_pull_secret(Some(&values), "web"),
        json!({
            "imagePullSecrets": [{"name": "own"}, pull],
            "sub": {"pullSecrets": [pull], "deeper": {"imagePullSecrets": [pull]}},
            "list": [{"imagePullSecrets": []}],
            "notAList": {"imagePullSecrets": "x"},
            "global": {"other": 1}
        })
    );
    assert_eq!(with_pull_secret(None, "web"), json!({}));
    assert_eq!(with_pull_secret(Some(&json!(null)), "web"), json!({}));
}

#[test]
fn messages_match_the_protocol() {
    assert_eq!(
        healthy_message(3),
        "status check passed. 3 resources healthy"
    );
    assert_eq!(
        force_restart_failed("x"),
        "helm upgrade succeeded; force restart error: x"
    );
    assert_eq!(
        force_restart_succeeded(),
        "helm upgrade succeeded; force restart succeeded"
    );
    assert_eq!(install_error("x"), "install error: x");
    assert_eq!(upgrade_error("x"), "upgrade error: x");
    assert_eq!(manifest_error("x"), "could not get helm manifest: x");
    assert_eq!(resource_error("x"), "resource status error: x");
}
