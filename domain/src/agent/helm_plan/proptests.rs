//! Properties of the Helm plan: orphans, the skew guard, the ignore flag
//! and stop-on-rollback, over arbitrary records and desired states.

use proptest::prelude::*;

use super::tests::{deployment, record, resource};
use super::*;

/// Small id spaces so records and deployments collide often; id 0 is the
/// nil id of legacy records.
fn records() -> impl Strategy<Value = Vec<HelmRecord>> {
    prop::collection::vec(
        (0u128..6, 0u128..4, 0u8..4, 1i64..5)
            .prop_map(|(id, rev, name, helm)| record(id, rev, &format!("r{name}"), helm)),
        0..6,
    )
}

fn deployments() -> impl Strategy<Value = Vec<AgentDeployment>> {
    prop::collection::btree_map(1u128..6, (0u128..4, 0u8..4), 0..5).prop_map(|map| {
        map.into_iter()
            .map(|(id, (rev, name))| deployment(id, rev, &format!("r{name}")))
            .collect()
    })
}

proptest! {
    #[test]
    fn every_record_is_either_matched_or_uninstalled(records in records(), deployments in deployments()) {
        let desired = resource(deployments);
        let plan = plan_helm(&HelmPlanInput { desired: &desired, records: &records, own_version_id: "" });
        for record in &records {
            let matched = desired.deployments.iter().any(|d| record.matches(d.id, &d.release_name));
            prop_assert_eq!(plan.uninstall.contains(record), !matched);
        }
        prop_assert!(plan.uninstall.iter().all(|r| records.contains(r)));
        // No record of a desired deployment id is ever uninstalled.
        for d in &desired.deployments {
            prop_assert!(plan.uninstall.iter().all(|r| r.id != d.id));
        }
        prop_assert_eq!(plan.targets.len(), desired.deployments.len());
        for target in &plan.targets {
            let d = &desired.deployments[target.index];
            if let Some(record) = &target.record {
                prop_assert!(record.matches(d.id, &d.release_name));
            }
        }
    }

    #[test]
    fn skew_never_proceeds_silently(recorded in 1i64..50, actual in 1i64..50, ignore: bool) {
        let d = AgentDeployment { ignore_revision_skew: ignore, ..deployment(1, 1, "web") };
        let r = record(1, 1, "web", recorded);
        let verdict = skew_guard(&d, Some(&r), &ReleaseLookup::Found(actual));
        match (recorded == actual, ignore) {
            (true, _) => prop_assert_eq!(verdict, SkewVerdict::Proceed),
            (false, true) => prop_assert!(matches!(verdict, SkewVerdict::ProceedDespite(_))),
            (false, false) => prop_assert!(matches!(verdict, SkewVerdict::Refuse(_))),
        }
    }

    #[test]
    fn a_foreign_release_is_never_touched(actual in 1i64..50, ignore: bool) {
        let d = AgentDeployment { ignore_revision_skew: ignore, ..deployment(1, 1, "web") };
        let verdict = skew_guard(&d, None, &ReleaseLookup::Found(actual));
        prop_assert!(matches!(verdict, SkewVerdict::Refuse(_)));
    }

    #[test]
    fn a_failed_revision_is_never_upgraded_again(
        recorded_rev in 0u128..4, desired_rev in 0u128..4, failed_rev in 0u128..4, rolled_back in 1i64..9,
    ) {
        let d = deployment(1, desired_rev, "web");
        let previous = record(1, recorded_rev, "web", rolled_back - 1);
        let after = record_after_rollback(&previous, rolled_back);
        let failed = RevisionId::from_uuid(uuid::Uuid::from_u128(failed_rev));
        prop_assert_eq!(skew_guard(&d, Some(&after), &ReleaseLookup::Found(rolled_back)), SkewVerdict::Proceed);
        let action = helm_action(&d, Some(&after), Some(failed));
        if desired_rev == recorded_rev {
            prop_assert!(matches!(action, HelmAction::Check { .. }), "expected a check");
        } else if desired_rev == failed_rev {
            prop_assert_eq!(action, HelmAction::AwaitNewRevision);
        } else {
            prop_assert_eq!(action, HelmAction::Upgrade { record: after });
        }
    }
}
