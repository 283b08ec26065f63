//! `GET /connect` and `GET /pre-connect` (AP §3.2–§3.4): query-authenticated
//! install manifest and connect script.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use distr_domain::manifest::{connect_url, pre_connect_script};
use distr_domain::target::DeploymentTarget;
use serde::Deserialize;

use super::credentials::{CREDENTIAL_REQUESTS_PER_WINDOW, parse_target_id, verify_target};
use super::manifest::{manifest_for, yaml_response};
use crate::problem::ApiError;
use crate::state::AppState;

/// The R1 bucket, shared by both routes.
pub const CONNECT_BUCKET: &str = "agent-connect";

/// The query of both routes.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectQuery {
    /// The target id.
    pub target_id: Option<String>,
    /// The target secret.
    pub target_secret: Option<String>,
}

impl ConnectQuery {
    /// Checks in the AP §3.2 order: UUID, R1, credentials.
    async fn authenticate(&self, state: &AppState) -> Result<(DeploymentTarget, String), ApiError> {
        let id = parse_target_id(self.target_id.as_deref())?;
        state.rate_limits.check(
            CONNECT_BUCKET,
            &id.to_string(),
            CREDENTIAL_REQUESTS_PER_WINDOW,
        )?;
        let target = verify_target(state, id, self.target_secret.as_deref()).await?;
        let secret = self.target_secret.clone().unwrap_or_default();
        Ok((target, secret))
    }
}

/// Handles `GET /connect`: the install manifest with the secret inserted.
///
/// # Errors
/// 400, 429 or 401 as in AP §3.2; 500 when rendering fails.
pub async fn get_connect(
    State(state): State<AppState>,
    Query(query): Query<ConnectQuery>,
) -> Result<Response, ApiError> {
    let (target, secret) = query.authenticate(&state).await?;
    Ok(yaml_response(
        manifest_for(&state, &target, Some(&secret)).await?,
    ))
}

/// Handles `GET /pre-connect`: the shell script of AP §3.4.
///
/// # Errors
/// As [`get_connect`].
pub async fn get_pre_connect(
    State(state): State<AppState>,
    Query(query): Query<ConnectQuery>,
) -> Result<Response, ApiError> {
    let (target, secret) = query.authenticate(&state).await?;
    let org = state.store.get_organization(target.organization_id).await?;
    let url = connect_url(&state.config.distr_host, target.id, &secret);
    let script = pre_connect_script(
        &url,
        org.pre_connect_script.as_deref(),
        org.post_connect_script.as_deref(),
    );
    let mut response = script.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
