//! `/settings/tokens`: the caller's own personal access tokens (HS §3.4).
//! The key is shown once, at creation; only its SHA-256 is stored.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use distr_domain::ids::AccessTokenId;
use distr_domain::user::AccessToken;
use serde::{Deserialize, Serialize};

use super::views::{opt_ts, ts};
use super::{JsonBody, parse_id};
use crate::auth::{UserPrincipal, hash_token, new_token_text};
use crate::problem::ApiError;
use crate::state::AppState;

/// Longest label accepted.
const MAX_LABEL: usize = 100;

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenView {
    pub(crate) id: AccessTokenId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) label: String,
    #[serde(serialize_with = "opt_ts", skip_serializing_if = "Option::is_none")]
    pub(crate) expires_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "opt_ts", skip_serializing_if = "Option::is_none")]
    pub(crate) last_used_at: Option<DateTime<Utc>>,
    pub(crate) key_hint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) key: Option<String>,
}

impl TokenView {
    fn new(token: &AccessToken, key: Option<String>) -> Self {
        Self {
            id: token.id,
            created_at: token.created_at,
            label: token.label.clone(),
            expires_at: token.expires_at,
            last_used_at: token.last_used_at,
            key_hint: token.key_hint.clone(),
            key,
        }
    }
}

#[utoipa::path(
    get,
    operation_id = "listAccessTokens",
    path = "/api/v1/settings/tokens",
    tag = "session",
    summary = "List the caller's personal access tokens",
    responses((status = 200, description = "The tokens, without keys", body = Vec<TokenView>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    Ok(Json(list_tokens(&state, &principal).await?))
}

/// The caller's tokens, without keys (`GET /settings/tokens`).
///
/// # Errors
/// Store failures.
pub(crate) async fn list_tokens(
    state: &AppState,
    principal: &UserPrincipal,
) -> Result<Vec<TokenView>, ApiError> {
    let tokens = state
        .store
        .list_access_tokens(principal.organization_id, principal.user_id)
        .await?;
    Ok(tokens.iter().map(|t| TokenView::new(t, None)).collect())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateToken {
    #[serde(default)]
    pub(crate) label: Option<String>,
    #[serde(default)]
    pub(crate) expires_at: Option<DateTime<Utc>>,
}

#[utoipa::path(
    post,
    operation_id = "createAccessToken",
    path = "/api/v1/settings/tokens",
    tag = "session",
    summary = "Create a personal access token",
    request_body = CreateToken,
    responses((status = 201, description = "The token with its key, shown once", body = TokenView))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<CreateToken>,
) -> Result<(StatusCode, Json<TokenView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(create_token(&state, &principal, body).await?),
    ))
}

/// Creates a token; its key is in the answer only (`POST /settings/tokens`).
///
/// # Errors
/// 400 for a long label or a past expiry.
pub(crate) async fn create_token(
    state: &AppState,
    principal: &UserPrincipal,
    body: CreateToken,
) -> Result<TokenView, ApiError> {
    let now = state.clock.now();
    let label = body.label.unwrap_or_default().trim().to_owned();
    if label.chars().count() > MAX_LABEL {
        return Err(ApiError::validation("label is too long")
            .with_field("/label", "at most 100 characters"));
    }
    if body.expires_at.is_some_and(|exp| exp <= now) {
        return Err(ApiError::validation("expiresAt must be in the future")
            .with_field("/expiresAt", "must be in the future"));
    }
    let text = new_token_text();
    let token = AccessToken {
        id: AccessTokenId::from_uuid(uuid::Uuid::now_v7()),
        created_at: now,
        user_account_id: principal.user_id,
        organization_id: principal.organization_id,
        label,
        expires_at: body.expires_at,
        last_used_at: None,
        key_hash: hash_token(&text),
        key_hint: text
            .get(text.len().saturating_sub(4)..)
            .unwrap_or_default()
            .to_owned(),
    };
    state.store.create_access_token(&token).await?;
    Ok(TokenView::new(&token, Some(text)))
}

#[utoipa::path(
    delete,
    operation_id = "deleteAccessToken",
    path = "/api/v1/settings/tokens/{id}",
    tag = "session",
    summary = "Revoke one of the caller's tokens",
    params(("id" = uuid::Uuid, Path, description = "The object id")),
    responses((status = 204, description = "Revoked"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    revoke_token(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes one of the caller's tokens (`DELETE /settings/tokens/{id}`).
///
/// # Errors
/// 404 for another user's or an unknown token.
pub(crate) async fn revoke_token(
    state: &AppState,
    principal: &UserPrincipal,
    id: &str,
) -> Result<(), ApiError> {
    let id: AccessTokenId = parse_id(id)?;
    state
        .store
        .delete_access_token(principal.organization_id, principal.user_id, id)
        .await?;
    Ok(())
}
