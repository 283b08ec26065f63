//! `POST /agent/login` with HTTP Basic (AP §3.5).

use distr_domain::protocol::LoginResponse;
use distr_ports::agent::HubError;
use reqwest::header::USER_AGENT;

use super::Snapshot;
use super::request::send;
use super::response::success_body;
use crate::token::CachedToken;

/// Logs in with the target credentials of `snapshot`. The body is decoded as
/// JSON whatever its content type: a Distr 2.7 Hub labels it `text/plain`.
pub(super) async fn login(snapshot: &Snapshot) -> Result<CachedToken, HubError> {
    let config = &snapshot.config;
    let request = snapshot
        .http
        .post(&config.login_endpoint)
        .header(USER_AGENT, config.user_agent())
        .basic_auth(&config.target_id, Some(&config.target_secret))
        .timeout(config.request_timeout);
    let body = success_body(send(request).await?).await?;
    // The serde error would quote the body, which holds the token.
    let login: LoginResponse = serde_json::from_slice(&body).map_err(|err| {
        HubError::Malformed(format!(
            "login response is not a {{\"token\"}} object (line {}, column {})",
            err.line(),
            err.column()
        ))
    })?;
    if login.token.is_empty() {
        return Err(HubError::Malformed(
            "login response has an empty token".to_owned(),
        ));
    }
    CachedToken::parse(login.token, snapshot.generation)
        .map_err(|err| HubError::Malformed(format!("login response: {err}")))
}
