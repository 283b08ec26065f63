//! The portal session (HS §4.1): the cookie `distr_session` holds the user
//! JWT (HttpOnly, `SameSite=Lax`, `Secure` behind https). The portal never
//! reads `Authorization` headers, and `/api/v1` never reads the cookie.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use distr_domain::user::Membership;

use super::page::PortalError;
use crate::auth::{UserClaims, UserPrincipal, authenticate_with_claims, issue_user_token};
use crate::problem::ApiError;
use crate::router::{AccessNote, note_access};
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "distr_session";

/// A signed-in portal user.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The caller, with the membership re-read for this request.
    pub principal: UserPrincipal,
    /// The token's claims (display name and e-mail).
    pub claims: UserClaims,
    /// The session token this request's pages derive their CSRF token from.
    pub token: String,
    /// How many organizations the user belongs to (the switcher, HS §4.2).
    pub memberships: usize,
}

/// A token re-issued by [`renew`] for this request.
#[derive(Debug, Clone)]
struct Renewed(String);

/// The value of cookie `name`, if the request carries it.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The `Set-Cookie` value that stores `token` for the configured lifetime.
pub(crate) fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let max_age = state.config.user_token_valid.as_secs();
    let secure = if state.config.distr_host.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("distr_session=; Path=/; Max-Age=0"))
}

/// The `Set-Cookie` value that ends the session.
pub(crate) fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_static("distr_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

fn login_redirect(parts: &Parts) -> PortalError {
    if parts.uri.path().starts_with("/ui/") {
        return PortalError::Api(ApiError::unauthorized());
    }
    let next = parts
        .uri
        .path_and_query()
        .map_or("/deployments", |p| p.as_str());
    PortalError::Login {
        next: next.to_owned(),
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = PortalError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .extensions
            .get::<Renewed>()
            .map(|r| r.0.clone())
            .or_else(|| cookie_value(&parts.headers, SESSION_COOKIE))
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(login_redirect(parts));
        };
        let (principal, claims) = match authenticate_with_claims(state, &token).await {
            Ok(found) => found,
            Err(err) if err.status == axum::http::StatusCode::UNAUTHORIZED => {
                return Err(login_redirect(parts));
            }
            Err(err) => return Err(PortalError::Api(err)),
        };
        note_access(
            &parts.extensions,
            AccessNote {
                principal_kind: "user",
                principal_id: Some(principal.user_id.to_string()),
                organization_id: Some(principal.organization_id.to_string()),
                target_id: None,
            },
        );
        state.rate_limits.check(
            "user-api",
            &principal.rate_key(),
            crate::auth::USER_API_LIMIT,
        )?;
        let memberships = state
            .store
            .list_memberships_of_user(principal.user_id)
            .await
            .map_err(ApiError::from)?
            .len();
        Ok(Self {
            principal,
            claims,
            token,
            memberships,
        })
    }
}

/// Re-issues the session cookie on page loads once less than half of its
/// lifetime remains (HS §4.1). Only GETs renew, so a form's CSRF token always
/// matches the cookie it is posted with.
pub(crate) async fn renew(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut fresh = None;
    if request.method() == Method::GET
        && let Some(token) = cookie_value(request.headers(), SESSION_COOKIE)
        && let Ok((principal, claims)) = authenticate_with_claims(&state, &token).await
    {
        let now = state.clock.now().timestamp();
        let lifetime = claims.exp.saturating_sub(claims.iat);
        if claims.exp.saturating_sub(now) < lifetime / 2
            && let Some(token) = reissue(&state, &principal).await
        {
            request.extensions_mut().insert(Renewed(token.clone()));
            fresh = Some(token);
        }
    }
    let mut response = next.run(request).await;
    if let Some(token) = fresh {
        response
            .headers_mut()
            .append(header::SET_COOKIE, session_cookie(&state, &token));
    }
    response
}

async fn reissue(state: &AppState, principal: &UserPrincipal) -> Option<String> {
    let user = state.store.get_user(principal.user_id).await.ok()?;
    let membership: Membership = state
        .store
        .get_membership(principal.organization_id, principal.user_id)
        .await
        .ok()??;
    issue_user_token(&state.config, state.clock.now(), &user, &membership).ok()
}
