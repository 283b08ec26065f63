//! `POST /settings/user` (HS §3.4): the caller's own name and password.
//! Changing the password needs the current one and voids older sessions,
//! so the answer carries a fresh token then.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use super::invites::{validate_name, validate_password};
use super::users::UserView;
use crate::auth::{UserPrincipal, issue_user_token};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateProfile {
    #[serde(default)]
    pub(crate) name: Option<String>,
    #[serde(default)]
    pub(crate) password: Option<String>,
    #[serde(default)]
    pub(crate) current_password: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProfileView {
    #[serde(flatten)]
    pub(crate) user: UserView,
    /// A fresh user JWT, only after a password change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) token: Option<String>,
}

fn wrong_current_password() -> ApiError {
    ApiError::validation("the current password is wrong")
        .with_field("/currentPassword", "does not match")
}

#[utoipa::path(
    post,
    operation_id = "updateOwnUser",
    path = "/api/v1/settings/user",
    tag = "session",
    summary = "Change the caller's name or password",
    request_body = UpdateProfile,
    responses((status = 200, description = "The caller; with a fresh token after a password change", body = ProfileView))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    principal: UserPrincipal,
    JsonBody(body): JsonBody<UpdateProfile>,
) -> Result<Json<ProfileView>, ApiError> {
    Ok(Json(update_profile(&state, &principal, body).await?))
}

/// Changes the caller's name or password (`POST /settings/user`).
///
/// # Errors
/// As the route: 400 for an invalid name or password or a wrong current password.
pub(crate) async fn update_profile(
    state: &AppState,
    principal: &UserPrincipal,
    body: UpdateProfile,
) -> Result<ProfileView, ApiError> {
    let membership = state
        .store
        .get_membership(principal.organization_id, principal.user_id)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    let mut user = state.store.get_user(principal.user_id).await?;
    let name = validate_name(body.name.as_deref())?;
    let mut token = None;
    if let Some(password) = &body.password {
        validate_password(password, "/password")?;
        let current = body.current_password.as_deref().ok_or_else(|| {
            ApiError::validation("currentPassword is required to change the password")
                .with_field("/currentPassword", "required")
        })?;
        let Some(hash) = &user.password_hash else {
            return Err(wrong_current_password());
        };
        if !state.passwords.verify_password(current, hash).await {
            return Err(wrong_current_password());
        }
        let now = state.clock.now();
        user.password_hash = Some(state.passwords.hash_password(password).await.map_err(
            |err| {
                tracing::error!(error = %err, "cannot hash password");
                ApiError::internal()
            },
        )?);
        user.password_changed_at = Some(now);
        token = Some(issue_user_token(&state.config, now, &user, &membership)?);
    }
    if let Some(name) = name {
        user.name = name;
    }
    state.store.update_user(&user).await?;
    Ok(ProfileView {
        user: UserView::new(&user, &membership),
        token,
    })
}
