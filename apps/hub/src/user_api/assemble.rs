//! Building target and deployment views with a bounded number of queries,
//! independent of the number of targets (HS §6.1).

use std::collections::HashMap;

use distr_domain::application::ApplicationVersion;
use distr_domain::deployment::{DeploymentRevision, StatusRecord};
use distr_domain::health::{connection_state, deployment_health, revision_pending};
use distr_domain::ids::{
    ApplicationId, ApplicationVersionId, CustomerOrganizationId, DeploymentId, OrganizationId,
    TargetId,
};
use distr_domain::secret::Secret;
use distr_domain::target::DeploymentTarget;

use super::views::{
    CustomerRef, DeploymentParts, DeploymentView, StatusView, TargetParts, TargetView,
};
use crate::agent_api::render::{MIN_REDACTED_LEN, decrypt_secret, owner_secrets};
use crate::problem::ApiError;
use crate::state::AppState;

type Owner = Option<CustomerOrganizationId>;

/// Secret values to redact, per target owner scope (HS §2.3: redacted again on read).
#[derive(Debug, Default)]
pub(super) struct Redactions {
    /// Decrypted values of the scopes used so far.
    values: HashMap<Owner, Vec<String>>,
    /// With [`Redactions::for_organization`]: every scope's stored secrets,
    /// decrypted on first use; a scope missing here has none.
    preloaded: Option<HashMap<Owner, Vec<Secret>>>,
}

impl Redactions {
    /// Loads the secrets of every scope of `org` in one query, so redacting
    /// for any number of owners adds no more (HS §6.1).
    pub(super) async fn for_organization(
        state: &AppState,
        org: OrganizationId,
    ) -> Result<Self, ApiError> {
        let mut scopes: HashMap<Owner, Vec<Secret>> = HashMap::new();
        for secret in state.store.list_organization_secrets(org).await? {
            scopes
                .entry(secret.customer_organization_id)
                .or_default()
                .push(secret);
        }
        Ok(Self {
            values: HashMap::new(),
            preloaded: Some(scopes),
        })
    }

    /// Redacts `text` with the secrets of `target`'s owner.
    pub(super) async fn apply(
        &mut self,
        state: &AppState,
        target: &DeploymentTarget,
        text: &str,
    ) -> Result<String, ApiError> {
        let owner = target.customer_organization_id;
        if !self.values.contains_key(&owner) {
            let plain: Vec<String> = match &mut self.preloaded {
                Some(scopes) => scopes
                    .remove(&owner)
                    .unwrap_or_default()
                    .iter()
                    .map(|secret| decrypt_secret(state, secret))
                    .collect::<Result<_, _>>()?,
                None => owner_secrets(state, target).await?.into_values().collect(),
            };
            let values = plain
                .into_iter()
                .filter(|v| v.chars().count() >= MIN_REDACTED_LEN)
                .collect();
            self.values.insert(owner, values);
        }
        let values = self.values.get(&owner).map_or(&[][..], Vec::as_slice);
        Ok(distr_domain::redact::redact(text, values))
    }
}

/// The status view of a record, with its message redacted.
pub(super) async fn status_view(
    state: &AppState,
    redactions: &mut Redactions,
    target: &DeploymentTarget,
    record: &StatusRecord,
) -> Result<StatusView, ApiError> {
    let message = redactions.apply(state, target, &record.message).await?;
    Ok(StatusView::new(record, message))
}

/// The deployment views of each target, in creation order.
pub(super) async fn deployment_views(
    state: &AppState,
    targets: &[DeploymentTarget],
) -> Result<HashMap<TargetId, Vec<DeploymentView>>, ApiError> {
    let ids: Vec<TargetId> = targets.iter().map(|t| t.id).collect();
    let deployments = state.store.list_deployments_of_targets(&ids).await?;
    let mut out: HashMap<TargetId, Vec<DeploymentView>> = HashMap::new();
    if deployments.is_empty() {
        return Ok(out);
    }
    let dep_ids: Vec<DeploymentId> = deployments.iter().map(|d| d.id).collect();
    let revisions: HashMap<DeploymentId, DeploymentRevision> = state
        .store
        .current_revisions(&dep_ids)
        .await?
        .into_iter()
        .map(|r| (r.deployment_id, r))
        .collect();
    let latest: HashMap<DeploymentId, StatusRecord> = state
        .store
        .latest_statuses(&dep_ids)
        .await?
        .into_iter()
        .collect();
    let mut version_ids: Vec<ApplicationVersionId> = revisions
        .values()
        .map(|r| r.application_version_id)
        .collect();
    version_ids.sort_unstable();
    version_ids.dedup();
    let versions: HashMap<ApplicationVersionId, ApplicationVersion> = state
        .store
        .get_versions(&version_ids)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let org = targets.first().map(|t| t.organization_id);
    let apps = match org {
        Some(org) => state.store.list_applications(org).await?,
        None => Vec::new(),
    };
    let mut versions_of_app: HashMap<ApplicationId, Vec<ApplicationVersion>> = HashMap::new();
    for app_id in deployments.iter().map(|d| d.application_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = versions_of_app.entry(app_id) {
            slot.insert(state.store.list_versions(app_id).await?);
        }
    }
    let by_target: HashMap<TargetId, &DeploymentTarget> =
        targets.iter().map(|t| (t.id, t)).collect();
    let now = state.clock.now();
    let stale = state.config.health_stale_after;
    let mut redactions = match org {
        Some(org) => Redactions::for_organization(state, org).await?,
        None => Redactions::default(),
    };
    for deployment in &deployments {
        let (Some(revision), Some(target)) = (
            revisions.get(&deployment.id),
            by_target.get(&deployment.deployment_target_id),
        ) else {
            continue;
        };
        let record = latest.get(&deployment.id);
        let version = versions.get(&revision.application_version_id);
        let update_available = version.is_some_and(|current| {
            versions_of_app
                .get(&deployment.application_id)
                .is_some_and(|all| {
                    all.iter()
                        .any(|v| v.archived_at.is_none() && newer_version(v, current))
                })
        });
        let latest_view = match record {
            Some(r) => Some(status_view(state, &mut redactions, target, r).await?),
            None => None,
        };
        let view = DeploymentView::new(DeploymentParts {
            deployment,
            revision,
            application_name: apps
                .iter()
                .find(|a| a.id == deployment.application_id)
                .map_or("", |a| a.name.as_str()),
            version_name: version.map_or("", |v| v.name.as_str()),
            latest: latest_view,
            health: deployment_health(record, now, stale).as_str(),
            revision_pending: revision_pending(revision.id, record),
            update_available,
        });
        out.entry(deployment.deployment_target_id)
            .or_default()
            .push(view);
    }
    Ok(out)
}

/// Whether `v` is newer than `current`: the ordering of the "update
/// available" tag and of the portal's "(newer)" versions (creation time,
/// then id).
pub(crate) fn newer_version(v: &ApplicationVersion, current: &ApplicationVersion) -> bool {
    (v.created_at, v.id) > (current.created_at, current.id)
}

/// Target views in HS §3.4 order: vendor-owned first, then by customer name,
/// then by target name.
pub(super) async fn target_views(
    state: &AppState,
    mut targets: Vec<DeploymentTarget>,
) -> Result<Vec<TargetView>, ApiError> {
    let Some(org) = targets.first().map(|t| t.organization_id) else {
        return Ok(Vec::new());
    };
    let customers: HashMap<CustomerOrganizationId, String> = state
        .store
        .list_customers(org)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name.as_str().to_owned()))
        .collect();
    let agent_versions = state.store.list_agent_versions().await?;
    let mut deployments = deployment_views(state, &targets).await?;
    let customer_name = |t: &DeploymentTarget| {
        t.customer_organization_id
            .and_then(|c| customers.get(&c).cloned())
    };
    targets.sort_by(|a, b| {
        (
            a.customer_organization_id.is_some(),
            customer_name(a),
            a.name.as_str(),
        )
            .cmp(&(
                b.customer_organization_id.is_some(),
                customer_name(b),
                b.name.as_str(),
            ))
    });
    let now = state.clock.now();
    let mut out = Vec::with_capacity(targets.len());
    for target in &targets {
        let Some(agent_version) = agent_versions
            .iter()
            .find(|v| v.id == target.agent_version_id)
        else {
            tracing::error!(target.id = %target.id, "target references an unknown agent version");
            return Err(ApiError::internal());
        };
        let reported_name = target
            .reported_agent_version_id
            .and_then(|id| agent_versions.iter().find(|v| v.id == id))
            .map(|v| v.name.clone());
        out.push(TargetView::new(TargetParts {
            target,
            customer: target.customer_organization_id.map(|id| CustomerRef {
                id,
                name: customers.get(&id).cloned().unwrap_or_default(),
            }),
            agent_version,
            reported_name,
            connection_state: connection_state(
                target.heartbeat.as_ref().map(|h| h.last_seen_at),
                now,
                state.config.health_stale_after,
            )
            .as_str(),
            deployments: deployments.remove(&target.id).unwrap_or_default(),
        }));
    }
    Ok(out)
}
