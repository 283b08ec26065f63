use std::collections::BTreeMap;

use chrono::DateTime;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::deployment::DockerType;
use crate::ids::{AgentVersionId, DeploymentId, RevisionId};
use crate::protocol::AgentVersionRef;

const VERSION: u128 = 0xabc;

fn deployment(id: u128, revision: u128, docker_type: Option<DockerType>) -> AgentDeployment {
    let id = DeploymentId::from_uuid(Uuid::from_u128(id));
    let name = crate::compose::project_name(id);
    AgentDeployment {
        id,
        revision_id: RevisionId::from_uuid(Uuid::from_u128(revision)),
        registry_auth: None,
        logs_enabled: revision.is_multiple_of(2),
        force_restart: false,
        compose_file: Some(
            format!("name: {name}\nservices:\n  web:\n    image: nginx\n").into_bytes(),
        ),
        env_file: None,
        docker_type,
        release_name: String::new(),
        chart_url: String::new(),
        chart_name: String::new(),
        chart_version: String::new(),
        values: None,
        ignore_revision_skew: false,
    }
}

fn record(id: u128, revision: u128) -> DockerRecord {
    DockerRecord {
        id: DeploymentId::from_uuid(Uuid::from_u128(id)),
        revision_id: RevisionId::from_uuid(Uuid::from_u128(revision)),
        project_name: format!("distr-{id}"),
        docker_type: DockerType::Compose,
        logs_enabled: false,
    }
}

fn resource(deployments: Vec<AgentDeployment>) -> AgentResource {
    AgentResource {
        version: AgentVersionRef {
            id: AgentVersionId::from_uuid(Uuid::from_u128(VERSION)),
            created_at: DateTime::UNIX_EPOCH,
            name: "1.0.0".to_owned(),
        },
        namespace: None,
        metrics_enabled: true,
        deployments,
    }
}

fn plan(desired: &AgentResource, records: Option<&[DockerRecord]>) -> DockerPlan {
    plan_docker(&DockerPlanInput {
        desired,
        records,
        own_version_id: "",
    })
}

fn docker_type() -> impl Strategy<Value = Option<DockerType>> {
    prop_oneof![
        6 => Just(Some(DockerType::Compose)),
        3 => Just(Some(DockerType::Swarm)),
        1 => Just(None),
    ]
}

/// Deployments with unique ids from a small pool (so they overlap the
/// records), in arbitrary order.
fn deployments() -> impl Strategy<Value = Vec<AgentDeployment>> {
    proptest::collection::btree_map(0u128..8, (0u128..3, docker_type()), 0..6)
        .prop_map(|map| {
            map.into_iter()
                .map(|(id, (revision, docker_type))| deployment(id, revision, docker_type))
                .collect::<Vec<_>>()
        })
        .prop_shuffle()
}

fn records() -> impl Strategy<Value = Vec<DockerRecord>> {
    proptest::collection::btree_map(0u128..8, 0u128..3, 0..6).prop_map(|map| {
        map.into_iter()
            .map(|(id, revision)| record(id, revision))
            .collect()
    })
}

proptest! {
    #[test]
    fn uninstalls_exactly_the_records_that_are_not_desired(deployments in deployments(), records in records()) {
        let desired = resource(deployments);
        let planned = plan(&desired, Some(&records));
        let expected: Vec<DockerRecord> = records
            .iter()
            .filter(|r| !desired.deployments.iter().any(|d| d.id == r.id))
            .cloned()
            .collect();
        prop_assert_eq!(&planned.uninstall, &expected);
        for removed in &planned.uninstall {
            prop_assert!(!desired.deployments.iter().any(|d| d.id == removed.id));
        }
    }

    #[test]
    fn unreadable_records_uninstall_nothing(deployments in deployments()) {
        let planned = plan(&resource(deployments), None);
        prop_assert!(planned.uninstall.is_empty());
    }

    #[test]
    fn an_unchanged_revision_is_checked_never_applied(deployments in deployments(), records in records()) {
        let desired = resource(deployments);
        let planned = plan(&desired, Some(&records));
        for step in &planned.steps {
            let Some(deployment) = desired.deployments.get(step.index()) else {
                return Err(TestCaseError::fail("step index out of range"));
            };
            let same = records
                .iter()
                .any(|r| r.id == deployment.id && r.revision_id == deployment.revision_id);
            match step {
                DeploymentStep::Apply { previous, .. } => {
                    prop_assert!(!same);
                    prop_assert!(deployment.docker_type.is_some());
                    prop_assert_eq!(previous.as_ref(), records.iter().find(|r| r.id == deployment.id));
                }
                DeploymentStep::Check { record, .. } => {
                    prop_assert!(same);
                    prop_assert_eq!(record.id, deployment.id);
                }
                DeploymentStep::SkipNoDockerType { .. } => {
                    prop_assert!(deployment.docker_type.is_none());
                }
            }
        }
    }

    #[test]
    fn steps_follow_the_deployment_order(deployments in deployments(), records in records()) {
        let desired = resource(deployments);
        let planned = plan(&desired, Some(&records));
        let indices: Vec<usize> = planned.steps.iter().map(DeploymentStep::index).collect();
        prop_assert_eq!(indices, (0..desired.deployments.len()).collect::<Vec<_>>());
    }

    #[test]
    fn executing_the_plan_converges(deployments in deployments(), records in records()) {
        let desired = resource(deployments);
        let planned = plan(&desired, Some(&records));
        let mut state: BTreeMap<DeploymentId, DockerRecord> =
            records.into_iter().map(|r| (r.id, r)).collect();
        for removed in &planned.uninstall {
            state.remove(&removed.id);
        }
        for step in &planned.steps {
            if let DeploymentStep::Apply { index, .. } = step {
                let Some(deployment) = desired.deployments.get(*index) else {
                    return Err(TestCaseError::fail("step index out of range"));
                };
                let written = record_after_apply(deployment)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                state.insert(written.id, written);
            }
        }
        let after: Vec<DockerRecord> = state.into_values().collect();
        let again = plan(&desired, Some(&after));
        prop_assert!(again.uninstall.is_empty());
        let reapplied = again.steps.iter().any(|s| matches!(s, DeploymentStep::Apply { .. }));
        prop_assert!(!reapplied);
    }
}

#[test]
fn a_new_revision_is_applied_with_the_previous_record() {
    let desired = resource(vec![deployment(1, 2, Some(DockerType::Compose))]);
    let old = record(1, 1);
    let planned = plan(&desired, Some(std::slice::from_ref(&old)));
    assert_eq!(
        planned.steps,
        vec![DeploymentStep::Apply {
            index: 0,
            previous: Some(old)
        }]
    );
}

#[test]
fn unreadable_records_apply_every_docker_deployment() {
    let desired = resource(vec![
        deployment(1, 1, Some(DockerType::Compose)),
        deployment(2, 1, None),
    ]);
    let planned = plan(&desired, None);
    assert_eq!(
        planned.steps,
        vec![
            DeploymentStep::Apply {
                index: 0,
                previous: None
            },
            DeploymentStep::SkipNoDockerType { index: 1 },
        ]
    );
}

#[test]
fn self_update_runs_only_for_a_different_non_empty_version() {
    let desired = resource(vec![]);
    let with = |own: &str| {
        plan_docker(&DockerPlanInput {
            desired: &desired,
            records: None,
            own_version_id: own,
        })
    };
    let same = Uuid::from_u128(VERSION).to_string();
    assert!(!with("").self_update);
    assert!(!with(&same).self_update);
    assert!(!with(&same.to_uppercase()).self_update);
    assert!(with(&Uuid::from_u128(1).to_string()).self_update);
    assert!(with("snapshot").self_update);
}

#[test]
fn metrics_follow_the_desired_state() {
    let mut desired = resource(vec![]);
    assert!(plan(&desired, None).metrics_enabled);
    desired.metrics_enabled = false;
    assert!(!plan(&desired, None).metrics_enabled);
}

#[test]
fn record_after_apply_takes_the_compose_name_and_deployment_flags() {
    let mut swarm = deployment(7, 4, Some(DockerType::Swarm));
    swarm.compose_file = Some(b"# comment\nname: 'my-stack'\nservices: {}\n".to_vec());
    let written = record_after_apply(&swarm).unwrap();
    assert_eq!(written.project_name, "my-stack");
    assert_eq!(written.docker_type, DockerType::Swarm);
    assert!(written.logs_enabled);
    assert_eq!(written.revision_id, swarm.revision_id);
}

#[test]
fn record_after_apply_rejects_unusable_compose_files() {
    let mut d = deployment(1, 1, Some(DockerType::Compose));
    d.compose_file = Some(b"services: {}\n".to_vec());
    assert_eq!(
        record_after_apply(&d),
        Err(AgentDecisionError::MissingProjectName)
    );
    d.compose_file = Some(b"name: ''\n".to_vec());
    assert_eq!(
        record_after_apply(&d),
        Err(AgentDecisionError::MissingProjectName)
    );
    d.compose_file = Some(b"- a\n".to_vec());
    assert!(matches!(
        record_after_apply(&d),
        Err(AgentDecisionError::InvalidCompose(_))
    ));
    d.compose_file = None;
    assert_eq!(
        record_after_apply(&d),
        Err(AgentDecisionError::MissingComposeFile)
    );
    let mut untyped = deployment(1, 1, None);
    untyped.compose_file = Some(b"name: x\n".to_vec());
    assert_eq!(
        record_after_apply(&untyped),
        Err(AgentDecisionError::MissingDockerType)
    );
}
