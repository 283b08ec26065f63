//! `POST /secrets` (HS §2.3, §3.4): values encrypted with AES-256-GCM bound
//! to organization id ‖ row id; customers always write their own scope.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use distr_domain::ids::{CustomerOrganizationId, SecretId, UserAccountId};
use distr_domain::secret::{Secret, SecretKey};
use serde::{Deserialize, Serialize};

use super::JsonBody;
use super::views::ts;
use crate::agent_api::render::secret_aad;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Largest secret value (HS §2.3).
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct CreateSecret {
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    customer_organization_id: Option<CustomerOrganizationId>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct SecretView {
    id: SecretId,
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_organization_id: Option<CustomerOrganizationId>,
    #[serde(serialize_with = "ts")]
    created_at: DateTime<Utc>,
    #[serde(serialize_with = "ts")]
    updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_by_user_account_id: Option<UserAccountId>,
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
    let value = body.value.unwrap_or_default();
    if value.len() > MAX_VALUE_BYTES {
        err.push_field("/value", "at most 64 KiB");
    }
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
    let targets = state
        .store
        .list_targets(principal.organization_id, scope)
        .await?;
    for target in targets
        .iter()
        .filter(|t| t.customer_organization_id == scope)
    {
        state.changes.publish(target.id).await;
    }
    Ok((
        StatusCode::CREATED,
        Json(SecretView {
            id,
            key: secret.key.as_str().to_owned(),
            customer_organization_id: scope,
            created_at: now,
            updated_at: now,
            updated_by_user_account_id: Some(principal.user_id),
        }),
    ))
}
