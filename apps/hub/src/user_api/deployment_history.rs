//! `PATCH /deployments/{id}` (`logsEnabled`, no revision), the revision
//! history and the status export (HS §3.4-3.6).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use distr_domain::deployment::DeploymentRevision;
use distr_domain::ids::{ApplicationVersionId, DeploymentId, RevisionId, UserAccountId};
use distr_ports::store::{Cursor, PageRequest};
use serde::{Deserialize, Serialize};

use super::JsonBody;
use super::assemble::Redactions;
use super::deployments::{find_visible, view_of};
use super::export::{collect_newest, line, text_response};
use super::paging::{in_memory, page_request, page_response};
use super::views::{DeploymentView, b64, ts};
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct PatchDeployment {
    #[serde(default)]
    logs_enabled: Option<bool>,
}

#[utoipa::path(
    patch,
    operation_id = "patchDeployment",
    path = "/api/v1/deployments/{id}",
    tag = "deployments",
    summary = "Change logsEnabled (no revision)",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    request_body = PatchDeployment,
    responses((status = 200, description = "The deployment", body = DeploymentView))
)]
pub(super) async fn patch(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PatchDeployment>,
) -> Result<Json<DeploymentView>, ApiError> {
    let logs_enabled = body.logs_enabled.ok_or_else(|| {
        ApiError::validation("logsEnabled is required").with_field("/logsEnabled", "required")
    })?;
    Ok(Json(
        set_logs_enabled(&state, &principal, &id, logs_enabled).await?,
    ))
}

/// Turns a deployment's log shipping on or off without a revision; the API
/// and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope, 403 for read-only callers.
pub(crate) async fn set_logs_enabled(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    logs_enabled: bool,
) -> Result<DeploymentView, ApiError> {
    let (deployment, target) = find_visible(state, principal, id).await?;
    principal.require_write()?;
    if logs_enabled != deployment.logs_enabled {
        state
            .store
            .set_logs_enabled(deployment.id, logs_enabled)
            .await?;
        // The agent starts or stops shipping logs on its next (woken) poll.
        state.changes.publish(target.id).await;
    }
    view_of(state, target, deployment.id).await
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct UserRef {
    pub(crate) id: UserAccountId,
    pub(crate) name: String,
}

/// A revision (HS §3.6).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RevisionView {
    pub(crate) id: RevisionId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) deployment_id: DeploymentId,
    pub(crate) application_version_id: ApplicationVersionId,
    pub(crate) application_version_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) values_yaml: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) env_file_data: Option<String>,
    pub(crate) force_restart: bool,
    pub(crate) ignore_revision_skew: bool,
    pub(crate) trigger: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created_by: Option<UserRef>,
}

const fn position(r: &DeploymentRevision) -> Cursor {
    Cursor {
        time: r.created_at,
        id: r.id.as_uuid(),
    }
}

/// The creator of a revision; a removed account is left out.
async fn creator(state: &AppState, id: UserAccountId) -> Result<Option<UserRef>, ApiError> {
    match state.store.get_user(id).await {
        Ok(user) => Ok(Some(UserRef {
            id,
            name: user.name.as_str().to_owned(),
        })),
        Err(distr_ports::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(
    get,
    operation_id = "listDeploymentRevisions",
    path = "/api/v1/deployments/{id}/revisions",
    tag = "deployments",
    summary = "Revision history, newest first",
    params(("id" = uuid::Uuid, Path, description = "The object id"), crate::openapi::PageParams),
    responses((status = 200, description = "One page of revisions", body = Vec<RevisionView>))
)]
pub(super) async fn revisions(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let page = page_request(&query)?;
    let (out, next, deployment_id) = revision_page(&state, &principal, &id, &page).await?;
    let path = format!("/api/v1/deployments/{deployment_id}/revisions");
    Ok(page_response(out, next, &path, &page, &query, &[]))
}

/// One page of a deployment's revisions, newest first, with the cursor of
/// the next page; the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn revision_page(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    page: &PageRequest,
) -> Result<(Vec<RevisionView>, Option<Cursor>, DeploymentId), ApiError> {
    let (deployment, _) = find_visible(state, principal, id).await?;
    // A deployment's revisions are few; they are paged after loading.
    let all = state.store.list_revisions(deployment.id).await?;
    let revisions = in_memory(all, page, position);
    let versions: HashMap<ApplicationVersionId, String> = state
        .store
        .list_versions(deployment.application_id)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name.as_str().to_owned()))
        .collect();
    let mut users: HashMap<UserAccountId, Option<UserRef>> = HashMap::new();
    let mut out = Vec::with_capacity(revisions.rows.len());
    for r in revisions.rows {
        let created_by = match r.created_by_user_account_id {
            None => None,
            Some(uid) => {
                if let Entry::Vacant(slot) = users.entry(uid) {
                    slot.insert(creator(state, uid).await?);
                }
                users.get(&uid).and_then(|u| {
                    u.as_ref().map(|u| UserRef {
                        id: u.id,
                        name: u.name.clone(),
                    })
                })
            }
        };
        out.push(RevisionView {
            id: r.id,
            created_at: r.created_at,
            deployment_id: r.deployment_id,
            application_version_id: r.application_version_id,
            application_version_name: versions
                .get(&r.application_version_id)
                .cloned()
                .unwrap_or_default(),
            values_yaml: r.values_yaml.as_deref().map(b64),
            env_file_data: r.env_file_data.as_deref().map(b64),
            force_restart: r.force_restart,
            ignore_revision_skew: r.ignore_revision_skew,
            trigger: r.trigger.as_str(),
            created_by,
        });
    }
    Ok((out, revisions.next, deployment.id))
}

#[utoipa::path(
    get,
    operation_id = "exportDeploymentStatus",
    path = "/api/v1/deployments/{id}/status/export",
    tag = "deployments",
    summary = "Export status records as text",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 200, description = "Oldest line first", body = String, content_type = "text/plain"))
)]
pub(super) async fn status_export(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    export_status(&state, &principal, &id).await
}

/// The text export of a deployment's status records (newest
/// `EXPORT_MAX_ROWS`, redacted); the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn export_status(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<Response, ApiError> {
    let (deployment, target) = find_visible(state, principal, id).await?;
    let store = state.store.as_ref();
    let (records, truncated) = collect_newest(
        state.config.export_max_rows,
        |page| store.list_statuses(deployment.id, page),
        |r| Cursor {
            time: r.last_reported_at,
            id: r.id.as_uuid(),
        },
    )
    .await?;
    let mut redactions = Redactions::default();
    let mut lines = Vec::with_capacity(records.len());
    for r in &records {
        let message = redactions.apply(state, &target, &r.message).await?;
        lines.push(line(r.last_reported_at, r.status_type.as_str(), &message));
    }
    let filename = format!("deployment-{}-status.txt", deployment.id);
    Ok(text_response(lines, truncated, &filename))
}
