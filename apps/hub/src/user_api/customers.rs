//! `POST /customer-organizations` (HS §3.4): vendor writers only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use distr_domain::ids::CustomerOrganizationId;
use distr_domain::names::Name;
use distr_domain::organization::CustomerOrganization;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use super::applications::require_vendor_writer;
use super::views::ts;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct CreateCustomer {
    #[serde(default)]
    name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct CustomerView {
    id: CustomerOrganizationId,
    #[serde(serialize_with = "ts")]
    created_at: DateTime<Utc>,
    name: String,
    user_count: u64,
    deployment_target_count: u64,
}

#[utoipa::path(
    post,
    operation_id = "createCustomerOrganization",
    path = "/api/v1/customer-organizations",
    tag = "customers",
    summary = "Create a customer organization",
    request_body = CreateCustomer,
    responses((status = 201, description = "Created", body = CustomerView))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<CreateCustomer>,
) -> Result<(StatusCode, Json<CustomerView>), ApiError> {
    require_vendor_writer(&principal)?;
    let name = Name::parse("name", &body.name).map_err(|e| {
        ApiError::validation("invalid customer organization").with_field("/name", e.reason)
    })?;
    let customer = CustomerOrganization {
        id: CustomerOrganizationId::from_uuid(uuid::Uuid::now_v7()),
        organization_id: principal.organization_id,
        created_at: state.clock.now(),
        name,
    };
    state.store.create_customer(&customer).await?;
    Ok((
        StatusCode::CREATED,
        Json(CustomerView {
            id: customer.id,
            created_at: customer.created_at,
            name: customer.name.as_str().to_owned(),
            user_count: 0,
            deployment_target_count: 0,
        }),
    ))
}
