//! What every page shares: the navigation (HS §4.2), rendering with the
//! portal's headers (HS §4.1), and errors shown as pages.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::csrf::csrf_token;
use super::session::Session;
use crate::problem::{ApiError, FieldError};
use crate::state::AppState;

/// The CSP of every portal response: no inline script, no framing.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// The header, navigation and CSRF token of a page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chrome {
    /// Whether a user is signed in (the login page has no navigation).
    pub signed_in: bool,
    /// Display name.
    pub user_name: String,
    /// Vendor member (sees Applications and Customers).
    pub is_vendor: bool,
    /// `read_write` or `admin`.
    pub can_write: bool,
    /// The session's CSRF token for forms.
    pub csrf: String,
    /// The active navigation entry.
    pub active: &'static str,
    /// An admin (vendor or customer): sees Users.
    pub is_admin: bool,
    /// A vendor admin: sees Settings → Organization.
    pub can_edit_org: bool,
    /// Several memberships: the organization switcher is shown.
    pub switcher: bool,
}

impl Chrome {
    /// The chrome of a signed-in page.
    pub(crate) fn new(state: &AppState, session: &Session, active: &'static str) -> Self {
        let p = &session.principal;
        Self {
            signed_in: true,
            user_name: session.claims.name.clone(),
            is_vendor: p.is_vendor(),
            can_write: p.role.can_write(),
            csrf: csrf_token(&state.config.jwt_secret, &session.token),
            active,
            is_admin: p.role == distr_domain::user::UserRole::Admin,
            can_edit_org: crate::user_api::organization::may_edit_organization(p),
            switcher: session.memberships > 1,
        }
    }
}

/// An error shown inline in a form: `detail` and `errors[]` of the problem.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormError {
    /// The problem's detail.
    pub detail: String,
    /// Field errors, by pointer.
    pub errors: Vec<FieldError>,
}

impl FormError {
    /// The error of `pointer`, if any (for per-field messages).
    pub(crate) fn field(&self, pointer: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.pointer == pointer)
            .map(|e| e.detail.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl From<ApiError> for FormError {
    fn from(err: ApiError) -> Self {
        Self {
            detail: err.detail,
            errors: err.errors,
        }
    }
}

/// Renders a page with `status`; pages are private and never cached.
pub(crate) fn html_with<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => {
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "cannot render a portal page");
            ApiError::internal().into_response()
        }
    }
}

/// Renders a page with 200.
pub(crate) fn html<T: Template>(page: &T) -> Response {
    html_with(StatusCode::OK, page)
}

/// Percent-encodes a query value.
pub(crate) fn encode(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

/// A 303 to `location` (after a POST).
pub(crate) fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

#[derive(Template)]
#[template(path = "portal/error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    title: String,
    detail: String,
}

/// Why a portal request failed.
#[derive(Debug)]
pub(crate) enum PortalError {
    /// Not signed in: go to the login page, then back to `next`.
    Login {
        /// The path to return to.
        next: String,
    },
    /// Any API error, shown as an error page (problem+json under `/ui/`).
    Api(ApiError),
}

impl From<ApiError> for PortalError {
    fn from(err: ApiError) -> Self {
        Self::Api(err)
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        match self {
            Self::Login { next } => see_other(&format!("/login?next={}", encode(&next))),
            Self::Api(err) if err.status == StatusCode::UNAUTHORIZED => err.into_response(),
            Self::Api(err) => {
                let page = ErrorPage {
                    chrome: Chrome::default(),
                    status: err.status.as_u16(),
                    title: err.status.canonical_reason().unwrap_or("Error").to_owned(),
                    detail: err.detail.clone(),
                };
                let mut response = html_with(err.status, &page);
                for (name, value) in err.headers {
                    response.headers_mut().insert(name, value);
                }
                response
            }
        }
    }
}

/// Adds the portal's security headers (HS §4.1) to every portal response.
pub(crate) async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
