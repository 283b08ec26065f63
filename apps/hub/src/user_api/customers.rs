//! `/customer-organizations` (HS §2.2, §2.5, §3.4): vendor members list and
//! read, vendor writers create, rename and delete; a customer member reads
//! only their own customer.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use distr_domain::ids::CustomerOrganizationId;
use distr_domain::names::Name;
use distr_domain::organization::CustomerOrganization;
use distr_ports::StoreError;
use distr_ports::store::CustomerCounts;
use serde::{Deserialize, Serialize};

use super::applications::require_vendor_writer;
use super::views::ts;
use super::{JsonBody, parse_id};
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Body of create and rename.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct CustomerInput {
    #[serde(default)]
    pub(crate) name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CustomerView {
    pub(crate) id: CustomerOrganizationId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) name: String,
    pub(crate) user_count: u64,
    pub(crate) deployment_target_count: u64,
}

impl CustomerView {
    fn new(customer: &CustomerOrganization, counts: &[CustomerCounts]) -> Self {
        let counts = counts
            .iter()
            .find(|c| c.customer_organization_id == customer.id);
        Self {
            id: customer.id,
            created_at: customer.created_at,
            name: customer.name.as_str().to_owned(),
            user_count: counts.map_or(0, |c| c.users),
            deployment_target_count: counts.map_or(0, |c| c.deployment_targets),
        }
    }
}

fn parse_name(raw: &str) -> Result<Name, ApiError> {
    Name::parse("name", raw).map_err(|e| {
        ApiError::validation("invalid customer organization").with_field("/name", e.reason)
    })
}

/// The customer `raw` names if the caller may see it (404 otherwise).
async fn visible_customer(
    state: &AppState,
    principal: &UserPrincipal,
    raw: &str,
) -> Result<CustomerOrganization, ApiError> {
    let id: CustomerOrganizationId = parse_id(raw)?;
    if !principal.is_vendor() && principal.customer_organization_id != Some(id) {
        return Err(ApiError::not_found());
    }
    Ok(state
        .store
        .get_customer(principal.organization_id, id)
        .await?)
}

async fn view_of(
    state: &AppState,
    customer: &CustomerOrganization,
) -> Result<CustomerView, ApiError> {
    let counts = state
        .store
        .customer_counts(customer.organization_id)
        .await?;
    Ok(CustomerView::new(customer, &counts))
}

#[utoipa::path(
    post,
    operation_id = "createCustomerOrganization",
    path = "/api/v1/customer-organizations",
    tag = "customers",
    summary = "Create a customer organization",
    request_body = CustomerInput,
    responses((status = 201, description = "Created", body = CustomerView))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<CustomerInput>,
) -> Result<(StatusCode, Json<CustomerView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(create_customer(&state, &principal, body).await?),
    ))
}

/// Creates a customer organization (`POST /customer-organizations`).
///
/// # Errors
/// As the route: 403, 400.
pub(crate) async fn create_customer(
    state: &AppState,
    principal: &UserPrincipal,
    body: CustomerInput,
) -> Result<CustomerView, ApiError> {
    require_vendor_writer(principal)?;
    let customer = CustomerOrganization {
        id: CustomerOrganizationId::from_uuid(uuid::Uuid::now_v7()),
        organization_id: principal.organization_id,
        created_at: state.clock.now(),
        name: parse_name(&body.name)?,
    };
    state.store.create_customer(&customer).await?;
    Ok(CustomerView::new(&customer, &[]))
}

/// `GET /customer-organizations`: vendor members only, by name, exact counts.
#[utoipa::path(
    get,
    operation_id = "listCustomerOrganizations",
    path = "/api/v1/customer-organizations",
    tag = "customers",
    summary = "List customer organizations with exact counts (vendor members only)",
    responses((status = 200, description = "Customers by name", body = Vec<CustomerView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<Vec<CustomerView>>, ApiError> {
    Ok(Json(list_customers(&state, &principal).await?))
}

/// The customers by name with exact counts (`GET /customer-organizations`).
///
/// # Errors
/// 403 for customer callers; store failures.
pub(crate) async fn list_customers(
    state: &AppState,
    principal: &UserPrincipal,
) -> Result<Vec<CustomerView>, ApiError> {
    principal.require_vendor()?;
    let org = principal.organization_id;
    let customers = state.store.list_customers(org).await?;
    let counts = state.store.customer_counts(org).await?;
    Ok(customers
        .iter()
        .map(|c| CustomerView::new(c, &counts))
        .collect())
}

#[utoipa::path(
    get,
    operation_id = "getCustomerOrganization",
    path = "/api/v1/customer-organizations/{id}",
    tag = "customers",
    summary = "Read one customer organization",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 200, description = "The customer", body = CustomerView))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<Json<CustomerView>, ApiError> {
    Ok(Json(get_customer(&state, &principal, &id).await?))
}

/// One customer the caller may see (`GET /customer-organizations/{id}`).
///
/// # Errors
/// 404 outside the caller's scope.
pub(crate) async fn get_customer(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<CustomerView, ApiError> {
    let customer = visible_customer(state, principal, id).await?;
    view_of(state, &customer).await
}

/// `PUT /customer-organizations/{id}`: rename.
#[utoipa::path(
    put,
    operation_id = "updateCustomerOrganization",
    path = "/api/v1/customer-organizations/{id}",
    tag = "customers",
    summary = "Rename a customer organization",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    request_body = CustomerInput,
    responses((status = 200, description = "The renamed customer", body = CustomerView))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CustomerInput>,
) -> Result<Json<CustomerView>, ApiError> {
    Ok(Json(rename_customer(&state, &principal, &id, body).await?))
}

/// Renames a customer (`PUT /customer-organizations/{id}`).
///
/// # Errors
/// As the route: 404, 403, 400.
pub(crate) async fn rename_customer(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    body: CustomerInput,
) -> Result<CustomerView, ApiError> {
    let mut customer = visible_customer(state, principal, id).await?;
    require_vendor_writer(principal)?;
    customer.name = parse_name(&body.name)?;
    state.store.update_customer(&customer).await?;
    view_of(state, &customer).await
}

/// `DELETE /customer-organizations/{id}`: 409 `not-empty` while it owns targets.
#[utoipa::path(
    delete,
    operation_id = "deleteCustomerOrganization",
    path = "/api/v1/customer-organizations/{id}",
    tag = "customers",
    summary = "Delete a customer organization (409 not-empty while it owns targets)",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 204, description = "Deleted with its memberships, their tokens and its secrets"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    delete_customer(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a customer (`DELETE /customer-organizations/{id}`).
///
/// # Errors
/// As the route: 404, 403, 409 `not-empty` while it owns targets.
pub(crate) async fn delete_customer(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<(), ApiError> {
    let customer = visible_customer(state, principal, id).await?;
    require_vendor_writer(principal)?;
    match state
        .store
        .delete_customer(principal.organization_id, customer.id)
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::InUse(_)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "not-empty",
            "the customer organization still owns deployment targets",
        )),
        Err(err) => Err(err.into()),
    }
}
