//! The helm agent's state record (AP §8.3), byte-compatible with Distr 2.7:
//! the JSON under `data.release` of the Secret `sh.distr.agent.v1.<release>`.

use serde::{Deserialize, Serialize};

use crate::ids::{DeploymentId, RevisionId};

/// Prefix of the state and pull Secret names.
const SECRET_PREFIX: &str = "sh.distr.agent.v1.";

/// Label key every state Secret carries (value: the release name); listing
/// selects on the key's existence.
pub const HELM_STATE_LABEL: &str = "agent.distr.sh/deployment";

/// `{"id","revisionId","releaseName","helmRevision","logsEnabled"}`.
///
/// Decoding is lenient like Go's `encoding/json`: an absent key is its zero
/// value, so a legacy record without `id` reads as the nil id (AP §8.2 step
/// 5 then matches it by release name). Encoding always writes all five keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelmRecord {
    /// Deployment id; nil in legacy records.
    #[serde(default = "DeploymentId::nil")]
    pub id: DeploymentId,
    /// The revision last installed or upgraded.
    #[serde(rename = "revisionId", default = "RevisionId::nil")]
    pub revision_id: RevisionId,
    /// Helm release name (unique per target).
    #[serde(rename = "releaseName", default)]
    pub release_name: String,
    /// The Helm release revision that install or upgrade produced.
    #[serde(rename = "helmRevision", default)]
    pub helm_revision: i64,
    /// Whether workload logs are shipped.
    #[serde(rename = "logsEnabled", default)]
    pub logs_enabled: bool,
}

impl HelmRecord {
    /// Whether this record belongs to the deployment (AP §8.2 step 5): equal
    /// ids, or, for a legacy record with the nil id, an equal release name.
    #[must_use]
    pub fn matches(&self, id: DeploymentId, release_name: &str) -> bool {
        if self.id == DeploymentId::nil() {
            self.release_name == release_name
        } else {
            self.id == id
        }
    }

    /// Name of this record's state Secret.
    #[must_use]
    pub fn secret_name(&self) -> String {
        state_secret_name(&self.release_name)
    }
}

/// `sh.distr.agent.v1.<release>`: the state Secret of a release.
#[must_use]
pub fn state_secret_name(release_name: &str) -> String {
    format!("{SECRET_PREFIX}{release_name}")
}

/// `sh.distr.agent.v1.<release>.pull`: the image pull Secret of a release
/// (AP §8.2 step 6.2), also appended to the chart's pull-secret lists (§8.4).
#[must_use]
pub fn pull_secret_name(release_name: &str) -> String {
    format!("{SECRET_PREFIX}{release_name}.pull")
}

#[cfg(test)]
mod tests;
