//! `/secrets` (HS §2.3, §3.4, §3.8): values encrypted with AES-256-GCM bound
//! to organization id ‖ row id and never returned; customers always read and
//! write their own scope. A changed value adds a `secret_changed` revision to
//! every deployment of the scope whose current revision references the key.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use distr_domain::ids::{
    CustomerOrganizationId, DeploymentId, OrganizationId, SecretId, UserAccountId,
};
use distr_domain::secret::{Secret, SecretKey};
use serde::{Deserialize, Serialize};

use super::views::ts;
use super::{JsonBody, parse_id};
use crate::agent_api::render::secret_aad;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Largest secret value (HS §2.3).
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateSecret {
    #[serde(default)]
    pub(crate) key: String,
    #[serde(default)]
    pub(crate) value: Option<String>,
    #[serde(default)]
    pub(crate) customer_organization_id: Option<CustomerOrganizationId>,
}

/// Body of `PUT /secrets/{id}`.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct UpdateSecret {
    #[serde(default)]
    value: Option<String>,
}

/// Query of `GET /secrets`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListQuery {
    #[serde(default)]
    customer_organization_id: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SecretView {
    pub(crate) id: SecretId,
    pub(crate) key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) customer_organization_id: Option<CustomerOrganizationId>,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    #[serde(serialize_with = "ts")]
    pub(crate) updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) updated_by_user_account_id: Option<UserAccountId>,
}

impl From<&Secret> for SecretView {
    fn from(secret: &Secret) -> Self {
        Self {
            id: secret.id,
            key: secret.key.as_str().to_owned(),
            customer_organization_id: secret.customer_organization_id,
            created_at: secret.created_at,
            updated_at: secret.updated_at,
            updated_by_user_account_id: secret.updated_by_user_account_id,
        }
    }
}

/// The value of a create or update body: required, at most 64 KiB.
fn checked_value(value: Option<String>, err: &mut ApiError) -> String {
    match value {
        None => {
            err.push_field("/value", "required");
            String::new()
        }
        Some(value) if value.len() > MAX_VALUE_BYTES => {
            err.push_field("/value", "at most 64 KiB");
            String::new()
        }
        Some(value) => value,
    }
}

/// Wakes the agents of every target in one secret scope: a key appeared,
/// or a value changed and their deployments may render differently.
async fn publish_scope(
    state: &AppState,
    org: OrganizationId,
    scope: Option<CustomerOrganizationId>,
) -> Result<(), ApiError> {
    let targets = state.store.list_targets(org, scope).await?;
    for target in targets
        .iter()
        .filter(|t| t.customer_organization_id == scope)
    {
        state.changes.publish(target.id).await;
    }
    Ok(())
}

/// The secret `raw` names if it is in the caller's scope (404 otherwise).
async fn visible_secret(
    state: &AppState,
    principal: &UserPrincipal,
    raw: &str,
) -> Result<Secret, ApiError> {
    let secret = state
        .store
        .get_secret(principal.organization_id, parse_id(raw)?)
        .await?;
    if principal.can_see(secret.customer_organization_id) {
        Ok(secret)
    } else {
        Err(ApiError::not_found())
    }
}

/// `GET /secrets[?customerOrganizationId=]`: keys and metadata of exactly one
/// scope, vendor-level by default; customers always get their own.
#[utoipa::path(
    get,
    operation_id = "listSecrets",
    path = "/api/v1/secrets",
    tag = "secrets",
    summary = "List the secrets of one scope (keys and metadata, never values)",
    params(("customerOrganizationId" = Option<uuid::Uuid>, Query, description = "A customer's scope instead of the vendor-level one (vendor callers)")),
    responses((status = 200, description = "Secrets by key", body = Vec<SecretView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<SecretView>>, ApiError> {
    Ok(Json(
        list_secrets(
            &state,
            &principal,
            query.customer_organization_id.as_deref(),
        )
        .await?,
    ))
}

/// The secrets of one scope (`GET /secrets[?customerOrganizationId=]`):
/// vendor-level by default; customers always get their own.
///
/// # Errors
/// 404 for another customer's scope or an unknown customer.
pub(crate) async fn list_secrets(
    state: &AppState,
    principal: &UserPrincipal,
    customer: Option<&str>,
) -> Result<Vec<SecretView>, ApiError> {
    let asked = customer
        .filter(|raw| !raw.is_empty())
        .map(parse_id::<CustomerOrganizationId>)
        .transpose()?;
    let scope = match (principal.customer_organization_id, asked) {
        (Some(own), Some(asked)) if asked != own => return Err(ApiError::not_found()),
        (Some(own), _) => Some(own),
        (None, Some(asked)) => {
            state
                .store
                .get_customer(principal.organization_id, asked)
                .await?;
            Some(asked)
        }
        (None, None) => None,
    };
    let secrets = state
        .store
        .list_secrets(principal.organization_id, scope)
        .await?;
    Ok(secrets.iter().map(SecretView::from).collect())
}

/// `PUT /secrets/{id}` with `{value}`.
#[utoipa::path(
    put,
    operation_id = "updateSecret",
    path = "/api/v1/secrets/{id}",
    tag = "secrets",
    summary = "Change a secret's value (adds secret_changed revisions)",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    request_body = UpdateSecret,
    responses((status = 200, description = "The secret; the value is never returned", body = SecretView))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdateSecret>,
) -> Result<Json<SecretView>, ApiError> {
    Ok(Json(
        replace_value(&state, &principal, &id, body.value).await?,
    ))
}

/// Changes a secret's value (`PUT /secrets/{id}`).
///
/// # Errors
/// As the route: 404, 403, 400.
pub(crate) async fn replace_value(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
    value: Option<String>,
) -> Result<SecretView, ApiError> {
    let mut secret = visible_secret(state, principal, id).await?;
    principal.require_write()?;
    let mut err = ApiError::validation("invalid secret");
    let value = checked_value(value, &mut err);
    if !err.errors.is_empty() {
        return Err(err);
    }
    secret.value_ciphertext = state.cipher.encrypt(
        value.as_bytes(),
        &secret_aad(secret.organization_id, secret.id),
    );
    secret.updated_at = state.clock.now();
    secret.updated_by_user_account_id = Some(principal.user_id);
    let copies = state.store.change_secret_value(&secret).await?;
    tracing::info!(
        secret_id = %secret.id,
        revisions = copies.len(),
        "secret value changed"
    );
    publish_scope(
        state,
        secret.organization_id,
        secret.customer_organization_id,
    )
    .await?;
    Ok(SecretView::from(&secret))
}

/// `DELETE /secrets/{id}`: 409 `in-use` while a current revision of its scope references the key.
#[utoipa::path(
    delete,
    operation_id = "deleteSecret",
    path = "/api/v1/secrets/{id}",
    tag = "secrets",
    summary = "Delete a secret (409 in-use while a current revision references it)",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 204, description = "Deleted"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    delete_secret(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a secret (`DELETE /secrets/{id}`).
///
/// # Errors
/// As the route: 404, 403, 409 `in-use`.
pub(crate) async fn delete_secret(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<(), ApiError> {
    let secret = visible_secret(state, principal, id).await?;
    principal.require_write()?;
    state
        .store
        .delete_secret(principal.organization_id, secret.id)
        .await?;
    Ok(())
}

/// A deployment whose current revision references a secret's key.
#[derive(Debug)]
pub(crate) struct SecretUse {
    /// The deployment.
    pub(crate) deployment_id: DeploymentId,
    /// Its target's name.
    pub(crate) target_name: String,
}

/// The deployments of the secret's scope whose current revision references
/// its key: why `DELETE` answers 409 `in-use` (the store's rule, HS §2.5).
///
/// # Errors
/// 404 outside the caller's scope; store failures.
pub(crate) async fn secret_uses(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<Vec<SecretUse>, ApiError> {
    let secret = visible_secret(state, principal, id).await?;
    let scope = secret.customer_organization_id;
    let targets: Vec<_> = state
        .store
        .list_targets(secret.organization_id, scope)
        .await?
        .into_iter()
        .filter(|t| t.customer_organization_id == scope)
        .collect();
    let ids: Vec<_> = targets.iter().map(|t| t.id).collect();
    let deployments = state.store.list_deployments_of_targets(&ids).await?;
    let deployment_ids: Vec<_> = deployments.iter().map(|d| d.id).collect();
    let revisions = state.store.current_revisions(&deployment_ids).await?;
    let mut uses = Vec::new();
    for revision in revisions
        .iter()
        .filter(|r| r.references_secret(secret.key.as_str()))
    {
        let target_name = deployments
            .iter()
            .find(|d| d.id == revision.deployment_id)
            .and_then(|d| targets.iter().find(|t| t.id == d.deployment_target_id))
            .map(|t| t.name.as_str().to_owned())
            .unwrap_or_default();
        uses.push(SecretUse {
            deployment_id: revision.deployment_id,
            target_name,
        });
    }
    Ok(uses)
}

#[utoipa::path(
    post,
    operation_id = "createSecret",
    path = "/api/v1/secrets",
    tag = "secrets",
    summary = "Create a secret",
    request_body = CreateSecret,
    responses((status = 201, description = "Created; the value is never returned", body = SecretView))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<CreateSecret>,
) -> Result<(StatusCode, Json<SecretView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(create_secret(&state, &principal, body).await?),
    ))
}

/// Creates a secret (`POST /secrets`); customers always in their own scope.
///
/// # Errors
/// As the route: 403, 400, 400 `duplicate-name`.
pub(crate) async fn create_secret(
    state: &AppState,
    principal: &UserPrincipal,
    body: CreateSecret,
) -> Result<SecretView, ApiError> {
    principal.require_write()?;
    let scope = match principal.customer_organization_id {
        // Customer-created objects are always the caller's customer's.
        Some(own) => Some(own),
        None => match body.customer_organization_id {
            Some(customer) => match state
                .store
                .get_customer(principal.organization_id, customer)
                .await
            {
                Ok(_) => Some(customer),
                Err(distr_ports::StoreError::NotFound) => {
                    return Err(ApiError::validation("unknown customer organization")
                        .with_field("/customerOrganizationId", "no such customer organization"));
                }
                Err(err) => return Err(err.into()),
            },
            None => None,
        },
    };
    let mut err = ApiError::validation("invalid secret");
    let key = SecretKey::parse(&body.key)
        .map_err(|e| err.push_field("/key", e.reason))
        .ok();
    let value = checked_value(body.value, &mut err);
    let Some(key) = key.filter(|_| err.errors.is_empty()) else {
        return Err(err);
    };
    let now = state.clock.now();
    let id = SecretId::from_uuid(uuid::Uuid::now_v7());
    let secret = Secret {
        id,
        organization_id: principal.organization_id,
        customer_organization_id: scope,
        key,
        value_ciphertext: state
            .cipher
            .encrypt(value.as_bytes(), &secret_aad(principal.organization_id, id)),
        created_at: now,
        updated_at: now,
        updated_by_user_account_id: Some(principal.user_id),
    };
    state.store.create_secret(&secret).await?;
    // A new key can make a failing deployment of this scope renderable.
    publish_scope(state, principal.organization_id, scope).await?;
    Ok(SecretView::from(&secret))
}
