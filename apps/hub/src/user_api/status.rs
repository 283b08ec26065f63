//! `GET /deployments/{id}/status` (AP §9.2, HS §3.5): status records of all
//! revisions, newest first, paginated with an opaque (time, id) cursor.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use distr_domain::ids::DeploymentId;
use distr_ports::store::{Cursor, PageRequest};

use super::assemble::{Redactions, status_view};
use super::deployments::find_visible;
use super::paging::{fetch_page, page_request, page_response};
use super::views::StatusView;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    operation_id = "listDeploymentStatus",
    path = "/api/v1/deployments/{id}/status",
    tag = "deployments",
    summary = "Status records, newest first",
    params(("id" = uuid::Uuid, Path, description = "The object id"), crate::openapi::PageParams),
    responses((status = 200, description = "One page of status records", body = Vec<super::views::StatusView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let page = page_request(&query)?;
    let (out, next, deployment_id) = status_page(&state, &principal, &id, page).await?;
    let path = format!("/api/v1/deployments/{deployment_id}/status");
    Ok(page_response(out, next, &path, &page, &query, &[]))
}

/// One page of a deployment's status records, messages redacted, with the
/// cursor of the next page; the API and the portal share it.
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn status_page(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    page: PageRequest,
) -> Result<(Vec<StatusView>, Option<Cursor>, DeploymentId), ApiError> {
    let (deployment, target) = find_visible(state, principal, id).await?;
    let store = state.store.as_ref();
    let records = fetch_page(
        page,
        |p| store.list_statuses(deployment.id, p),
        |r| Cursor {
            time: r.last_reported_at,
            id: r.id.as_uuid(),
        },
    )
    .await?;
    let mut redactions = Redactions::default();
    let mut out = Vec::with_capacity(records.rows.len());
    for record in &records.rows {
        out.push(status_view(state, &mut redactions, &target, record).await?);
    }
    Ok((out, records.next, deployment.id))
}
