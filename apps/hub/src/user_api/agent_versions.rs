//! `GET /agent-versions` (HS §3.4): every registered agent version, oldest
//! first, with the greatest one flagged `latest` (HS §2.2).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use distr_domain::ids::AgentVersionId;
use distr_domain::semver::compare_agent_versions;
use distr_domain::target::AgentVersion;
use serde::Serialize;

use super::views::ts;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// One agent version as the API shows it (`templateRevision` never appears).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct AgentVersionView {
    id: AgentVersionId,
    #[serde(serialize_with = "ts")]
    created_at: DateTime<Utc>,
    name: String,
    latest: bool,
}

/// Orders `versions` oldest first and flags the greatest name as latest.
fn views(mut versions: Vec<AgentVersion>) -> Vec<AgentVersionView> {
    versions.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.as_uuid().cmp(&b.id.as_uuid()))
    });
    let latest = versions
        .iter()
        .max_by(|a, b| compare_agent_versions(&a.name, &b.name))
        .map(|v| v.id);
    versions
        .into_iter()
        .map(|v| AgentVersionView {
            latest: Some(v.id) == latest,
            id: v.id,
            created_at: v.created_at,
            name: v.name,
        })
        .collect()
}

/// The greatest registered agent version (HS §2.2), if any.
///
/// # Errors
/// Store failures.
pub(crate) async fn latest_agent_version(
    state: &AppState,
) -> Result<Option<AgentVersion>, ApiError> {
    Ok(state
        .store
        .list_agent_versions()
        .await?
        .into_iter()
        .max_by(|a, b| compare_agent_versions(&a.name, &b.name)))
}

/// Whether `latest` is a newer agent than `desired`: the "Update agent"
/// badge on the overview and "Update agent to X" on the target page.
pub(crate) fn update_available(latest: Option<&AgentVersion>, desired: &str) -> bool {
    latest.is_some_and(|l| compare_agent_versions(&l.name, desired).is_gt())
}

#[utoipa::path(
    get,
    operation_id = "listAgentVersions",
    path = "/api/v1/agent-versions",
    tag = "agent-versions",
    summary = "List agent versions, oldest first",
    responses((status = 200, description = "All agent versions", body = Vec<AgentVersionView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    _principal: UserPrincipal,
) -> Result<Json<Vec<AgentVersionView>>, ApiError> {
    Ok(Json(views(state.store.list_agent_versions().await?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(name: &str, age_secs: i64) -> AgentVersion {
        AgentVersion {
            id: AgentVersionId::from_uuid(uuid::Uuid::now_v7()),
            created_at: DateTime::from_timestamp(1_700_000_000 - age_secs, 0).unwrap(),
            name: name.to_owned(),
            docker_image_repository: None,
            kubernetes_image_repository: None,
        }
    }

    #[test]
    fn versions_come_oldest_first_and_the_greatest_semver_is_latest() {
        let out = views(vec![
            version("2.10.0", 30),
            version("2.9.1", 10),
            version("2.8.0", 20),
        ]);
        let names: Vec<_> = out.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["2.10.0", "2.8.0", "2.9.1"]);
        let latest: Vec<_> = out.iter().filter(|v| v.latest).map(|v| &v.name).collect();
        assert_eq!(latest, ["2.10.0"]);
    }

    #[test]
    fn an_update_is_available_only_for_a_greater_version() {
        let latest = version("2.10.0", 1);
        assert!(update_available(Some(&latest), "2.9.1"));
        assert!(!update_available(Some(&latest), "2.10.0"));
        assert!(!update_available(Some(&version("2.8.0", 1)), "snapshot"));
        assert!(!update_available(None, "1.0.0"));
    }

    #[test]
    fn snapshot_outranks_every_release() {
        let out = views(vec![version("snapshot", 5), version("3.0.0", 1)]);
        assert!(out.iter().any(|v| v.name == "snapshot" && v.latest));
        assert!(!out.iter().any(|v| v.name == "3.0.0" && v.latest));
    }
}
