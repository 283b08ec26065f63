//! `GET /deployments/{id}/status` (AP §9.2, HS §3.5): status records of all
//! revisions, newest first, paginated with an opaque (time, id) cursor.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use distr_ports::store::Cursor;

use super::assemble::{Redactions, status_view};
use super::deployments::find_visible;
use super::paging::{fetch_page, page_request, page_response};
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
    let (deployment, target) = find_visible(&state, &principal, &id).await?;
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
        out.push(status_view(&state, &mut redactions, &target, record).await?);
    }
    let path = format!("/api/v1/deployments/{}/status", deployment.id);
    Ok(page_response(out, records.next, &path, &page, &query, &[]))
}
