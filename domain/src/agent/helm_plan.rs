//! The Helm agent's reconcile step as a sans-IO plan (AP §8.2).
//!
//! A tick is planned in two pure steps around one lookup per deployment:
//! [`plan_helm`] decides self-update, metrics, the orphans to uninstall and
//! which state record belongs to which deployment; then, once the agent has
//! looked up the latest Helm revision of a release, [`skew_guard`] and
//! [`helm_action`] decide what to do with that deployment.
//!
//! **No uninstall without a good answer (AP §11h)** is enforced by the types,
//! as for the docker plan: [`HelmPlanInput::desired`] is an
//! [`AgentResource`], which only a successful, well-formed resources
//! response produces, and the records are a list the agent could read (a
//! failed listing ends the tick before planning, AP §8.2 step 4).
//!
//! **A failed atomic upgrade is not retried in a loop.** Helm rolls it back,
//! which creates a new release revision. The agent then records that
//! revision ([`record_after_rollback`]), so the skew guard does not trip,
//! reports the failure once and remembers the failed revision: while the
//! desired revision is still that one, [`helm_action`] answers
//! [`HelmAction::AwaitNewRevision`]. Any new revision is upgraded again.

mod chart;
mod messages;
mod values;

pub use chart::HelmChart;
pub use messages::{
    HELM_PROGRESS_MESSAGE, INSTALL_SUCCEEDED, UPGRADE_SUCCEEDED, force_restart_failed,
    force_restart_succeeded, healthy_message, install_error, lookup_error, manifest_error,
    resource_error, upgrade_error,
};
pub use values::with_pull_secret;

use crate::agent::HelmRecord;
use crate::agent::plan::needs_self_update;
use crate::ids::RevisionId;
use crate::protocol::{AgentDeployment, AgentResource};

/// Everything [`plan_helm`] depends on.
#[derive(Debug, Clone, Copy)]
pub struct HelmPlanInput<'a> {
    /// A well-formed, successful answer ONLY (see the module doc).
    pub desired: &'a AgentResource,
    /// The state records listed in the namespace (a failed listing ends the
    /// tick before planning).
    pub records: &'a [HelmRecord],
    /// `DISTR_AGENT_VERSION_ID`; `""` disables self-update.
    pub own_version_id: &'a str,
}

/// One desired deployment with its state record, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmTarget {
    /// Position in `desired.deployments`.
    pub index: usize,
    /// The matching state record (AP §8.2 step 5 matching).
    pub record: Option<HelmRecord>,
}

/// The decisions of one tick that need no lookup, in execution order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmPlan {
    /// Run the self-update (AP §8.9) and end the tick whatever its outcome.
    pub self_update: bool,
    /// Whether the metrics task should run.
    pub metrics_enabled: bool,
    /// The namespace of every release and state Secret (`""` when absent).
    pub namespace: String,
    /// Records matching no deployment: Helm-uninstall, then delete the record.
    pub uninstall: Vec<HelmRecord>,
    /// One entry per deployment, in the order of `desired.deployments`.
    pub targets: Vec<HelmTarget>,
}

/// Plans one tick of the Helm agent (AP §8.2 steps 2-6).
#[must_use]
pub fn plan_helm(input: &HelmPlanInput<'_>) -> HelmPlan {
    let desired = input.desired;
    let uninstall = input
        .records
        .iter()
        .filter(|record| {
            !desired
                .deployments
                .iter()
                .any(|d| record.matches(d.id, &d.release_name))
        })
        .cloned()
        .collect();
    let targets = desired
        .deployments
        .iter()
        .enumerate()
        .map(|(index, deployment)| HelmTarget {
            index,
            record: record_of(input.records, deployment).cloned(),
        })
        .collect();
    HelmPlan {
        self_update: needs_self_update(input.own_version_id, desired),
        metrics_enabled: desired.metrics_enabled,
        namespace: desired.namespace.clone().unwrap_or_default(),
        uninstall,
        targets,
    }
}

/// The record of a deployment: the one with its id, else a legacy record
/// (nil id) with its release name.
fn record_of<'r>(
    records: &'r [HelmRecord],
    deployment: &AgentDeployment,
) -> Option<&'r HelmRecord> {
    records.iter().find(|r| r.id == deployment.id).or_else(|| {
        records
            .iter()
            .find(|r| r.matches(deployment.id, &deployment.release_name))
    })
}

/// The outcome of looking up the latest revision of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseLookup {
    /// No release of that name in the namespace.
    NotFound,
    /// The latest release revision.
    Found(i64),
    /// Any other failure, with Helm's message.
    Failed(String),
}

/// What the skew guard (AP §8.2 step 6.1) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkewVerdict {
    /// Go on with the deployment.
    Proceed,
    /// Revision skew with `ignoreRevisionSkew`: log the message and go on.
    ProceedDespite(String),
    /// Post the message as `error` and skip the deployment this tick.
    Refuse(String),
}

/// The skew guard: a release the agent did not create, or whose revision
/// moved away from the recorded one, is not touched (unless skew is
/// explicitly ignored); a failed lookup touches nothing either.
#[must_use]
pub fn skew_guard(
    deployment: &AgentDeployment,
    record: Option<&HelmRecord>,
    lookup: &ReleaseLookup,
) -> SkewVerdict {
    let name = &deployment.release_name;
    match (lookup, record) {
        (ReleaseLookup::NotFound, _) => SkewVerdict::Proceed,
        (ReleaseLookup::Failed(err), _) => SkewVerdict::Refuse(lookup_error(err)),
        (ReleaseLookup::Found(_), None) => SkewVerdict::Refuse(format!(
            "helm release {name} already exists but was not created by the agent"
        )),
        (ReleaseLookup::Found(actual), Some(record)) if *actual != record.helm_revision => {
            let message = format!(
                "actual helm revision for {name} ({actual}) is different from latest deployed by agent ({})",
                record.helm_revision
            );
            if deployment.ignore_revision_skew {
                SkewVerdict::ProceedDespite(message)
            } else {
                SkewVerdict::Refuse(message)
            }
        }
        (ReleaseLookup::Found(_), Some(_)) => SkewVerdict::Proceed,
    }
}

/// What to do with a deployment the skew guard let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelmAction {
    /// No state record: `helm install` (AP §8.2 step 6.3).
    Install,
    /// The revision changed: `helm upgrade` (step 6.4).
    Upgrade {
        /// The record of the previous install or upgrade.
        record: HelmRecord,
    },
    /// Only `logsEnabled` changed: write this record, post no status.
    UpdateRecord {
        /// The record to write.
        record: HelmRecord,
    },
    /// Revision unchanged: check the release's resources (step 6.5).
    Check {
        /// The current record.
        record: HelmRecord,
    },
    /// The upgrade to this revision failed and was rolled back; nothing is
    /// done (and nothing posted) until a new revision arrives.
    AwaitNewRevision,
}

/// Decides the action for a deployment (AP §8.2 steps 6.3-6.5).
/// `failed_upgrade` is the revision whose upgrade last failed, if any.
#[must_use]
pub fn helm_action(
    deployment: &AgentDeployment,
    record: Option<&HelmRecord>,
    failed_upgrade: Option<RevisionId>,
) -> HelmAction {
    let Some(record) = record else {
        return HelmAction::Install;
    };
    if record.revision_id != deployment.revision_id {
        if failed_upgrade == Some(deployment.revision_id) {
            return HelmAction::AwaitNewRevision;
        }
        return HelmAction::Upgrade {
            record: record.clone(),
        };
    }
    if record.logs_enabled != deployment.logs_enabled {
        return HelmAction::UpdateRecord {
            record: HelmRecord {
                logs_enabled: deployment.logs_enabled,
                ..record.clone()
            },
        };
    }
    HelmAction::Check {
        record: record.clone(),
    }
}

/// The record written after a successful install or upgrade that produced
/// `helm_revision` (AP §8.3).
#[must_use]
pub fn record_after_operation(deployment: &AgentDeployment, helm_revision: i64) -> HelmRecord {
    HelmRecord {
        id: deployment.id,
        revision_id: deployment.revision_id,
        release_name: deployment.release_name.clone(),
        helm_revision,
        logs_enabled: deployment.logs_enabled,
    }
}

/// The record after a failed atomic upgrade that Helm rolled back to
/// `rolled_back_to`: still the previous revision's record (that revision is
/// what runs), with the release revision the rollback created, so the next
/// tick's skew guard sees no skew.
#[must_use]
pub fn record_after_rollback(previous: &HelmRecord, rolled_back_to: i64) -> HelmRecord {
    HelmRecord {
        helm_revision: rolled_back_to,
        ..previous.clone()
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
