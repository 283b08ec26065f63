//! `POST /auth/login` (HS §3.4): constant time for unknown e-mails, one
//! identical 401 body for every failure, 10 attempts per minute per client IP.

use std::net::{IpAddr, SocketAddr};

use axum::Extension;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use distr_domain::names::Email;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::auth::{default_membership, issue_user_token};
use crate::problem::ApiError;
use crate::state::AppState;

/// `/auth/*` attempts per endpoint, client IP and 60 s (HS §3.5).
pub const AUTH_LIMIT: u32 = 10;

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct LoginRequest {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `{token}`: a user JWT.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct TokenResponse {
    pub(super) token: String,
}

/// Applies the `/auth/*` limit (HS §3.5) of `endpoint` to the client address.
///
/// # Errors
/// 429 `rate-limited` over the limit.
pub(crate) fn limit_auth(
    state: &AppState,
    endpoint: &'static str,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    let ip = client_ip(
        peer.map(|Extension(ConnectInfo(addr))| addr),
        headers,
        &state.config.trusted_proxies,
    );
    state.rate_limits.check(endpoint, &ip, AUTH_LIMIT)
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid-credentials",
        "invalid e-mail or password",
    )
    .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
}

/// Whether `ip` is inside `cidr` (`10.0.0.0/8`, `::1/128` or a bare address).
fn in_cidr(ip: IpAddr, cidr: &str) -> bool {
    let (net, bits) = match cidr.split_once('/') {
        Some((net, bits)) => (net, bits.parse::<u32>().ok()),
        None => (cidr, None),
    };
    let Ok(net) = net.trim().parse::<IpAddr>() else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

/// The client address: the peer, or the nearest untrusted `X-Forwarded-For`
/// hop when the peer is a trusted proxy (`TRUSTED_PROXIES`).
pub(crate) fn client_ip(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted: &[String],
) -> String {
    let Some(peer) = peer.map(|p| p.ip()) else {
        return "unknown".to_owned();
    };
    let is_trusted = |ip: IpAddr| trusted.iter().any(|cidr| in_cidr(ip, cidr));
    if !is_trusted(peer) {
        return peer.to_string();
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>();
    let hops = forwarded
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse::<IpAddr>().ok());
    hops.collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(*ip))
        .unwrap_or(peer)
        .to_string()
}

#[utoipa::path(
    post,
    operation_id = "login",
    path = "/api/v1/auth/login",
    tag = "session",
    summary = "Log in with e-mail and password",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "A user JWT", body = TokenResponse),
        (status = 401, description = "Wrong e-mail or password (invalid-credentials)", body = crate::openapi::Problem, content_type = "application/problem+json")
    ),
    security(())
)]
pub(super) async fn login(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let ip = client_ip(
        peer.map(|Extension(ConnectInfo(addr))| addr),
        &headers,
        &state.config.trusted_proxies,
    );
    let token = password_login(&state, &ip, &body.email, &body.password).await?;
    Ok(Json(TokenResponse { token }))
}

/// Checks e-mail and password (rate-limited per client IP) and issues a user
/// JWT for the last-used organization, otherwise the first. The API and the
/// portal share it.
///
/// # Errors
/// 401 `invalid-credentials` for any failure; 429 over the `/auth/login` limit.
pub(crate) async fn password_login(
    state: &AppState,
    ip: &str,
    email: &str,
    password: &str,
) -> Result<String, ApiError> {
    state.rate_limits.check("auth-login", ip, AUTH_LIMIT)?;
    let body = LoginRequest {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    let user = match Email::parse(&body.email) {
        Ok(email) => state.store.find_user_by_email(&email).await?,
        Err(_) => None,
    };
    let Some((user, hash)) = user.and_then(|u| u.password_hash.clone().map(|h| (u, h))) else {
        state.passwords.verify_dummy(&body.password).await;
        return Err(invalid_credentials());
    };
    if !state.passwords.verify_password(&body.password, &hash).await {
        return Err(invalid_credentials());
    }
    let memberships = state.store.list_memberships_of_user(user.id).await?;
    let chosen = default_membership(&user, &memberships).ok_or_else(invalid_credentials)?;
    let now = state.clock.now();
    state
        .store
        .record_login(user.id, chosen.organization_id, now)
        .await?;
    issue_user_token(&state.config, now, &user, chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_address_is_used_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.7, 10.0.0.2"),
        );
        let proxy: SocketAddr = "10.0.0.1:4000".parse().unwrap();
        let trusted = vec!["10.0.0.0/8".to_owned()];
        assert_eq!(client_ip(Some(proxy), &headers, &trusted), "203.0.113.7");
        assert_eq!(client_ip(Some(proxy), &headers, &[]), "10.0.0.1");
        let direct: SocketAddr = "198.51.100.1:1".parse().unwrap();
        assert_eq!(client_ip(Some(direct), &headers, &trusted), "198.51.100.1");
    }

    #[test]
    fn cidr_matching_respects_prefix_length() {
        let ip: IpAddr = "192.168.1.20".parse().unwrap();
        assert!(in_cidr(ip, "192.168.0.0/16"));
        assert!(!in_cidr(ip, "192.168.2.0/24"));
        assert!(in_cidr(ip, "0.0.0.0/0"));
        assert!(in_cidr("::1".parse().unwrap(), "::1"));
    }
}
