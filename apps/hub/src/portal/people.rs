//! What the users, secrets and customer pages share (HS §4.4): the inline
//! notes a POST answer renders (errors, a link shown once, the deployments
//! that keep a secret in use) and where such a page belongs (`from`).

use axum::http::StatusCode;
use axum::response::Response;
use distr_domain::ids::CustomerOrganizationId;

use super::customers::CustomerTab;
use super::page::{FormError, PortalError};
use super::session::Session;
use super::{customers, secrets, users};
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::parse_id;

/// An invite or reset link, shown once in a copy box (the answer is
/// `no-store`, and the link goes into no redirect or cookie).
#[derive(Debug, Clone, Default)]
pub(super) struct ShownLink {
    /// "Invite link" or "Password-reset link".
    pub what: &'static str,
    /// Whose link it is (the member's e-mail).
    pub whom: String,
    /// The URL.
    pub url: String,
}

/// One deployment that still references a secret's key.
#[derive(Debug, Clone)]
pub(super) struct UseRow {
    /// The deployment id (for the link).
    pub deployment_id: String,
    /// Its target's name.
    pub target_name: String,
}

/// The input a failed form keeps: never a secret value or password.
#[derive(Debug, Clone, Default)]
pub(super) struct InviteInput {
    /// E-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role (wire name).
    pub role: String,
}

/// Everything a POST answer shows inline on a users, secrets or customer page.
#[derive(Debug, Clone, Default)]
pub(super) struct Notes {
    /// An error of the users section.
    pub users_error: FormError,
    /// The invite form's input, kept on errors.
    pub invite: InviteInput,
    /// A link shown once.
    pub link: Option<ShownLink>,
    /// The e-mail of an existing account that an invite added as a member
    /// (it needs no link: the user signs in with their password).
    pub added: Option<String>,
    /// An error of the secrets section.
    pub secrets_error: FormError,
    /// The new-secret key, kept on errors (the value never is).
    pub secret_key: String,
    /// The deployments that keep a secret in use (after a refused delete).
    pub in_use: Vec<UseRow>,
    /// An error of the customer's rename or delete form.
    pub customer_error: FormError,
}

impl Notes {
    /// Notes with a users-section error.
    pub(super) fn users(err: ApiError) -> Self {
        Self {
            users_error: err.into(),
            ..Self::default()
        }
    }
}

/// The customer page a form was posted from (`from`), or `None` for the
/// top-level `/users` or `/secrets` page.
///
/// # Errors
/// 404 for a malformed id.
pub(super) fn from_customer(from: &str) -> Result<Option<CustomerOrganizationId>, ApiError> {
    if from.is_empty() {
        Ok(None)
    } else {
        parse_id(from).map(Some)
    }
}

/// Where a successful POST returns to: `top`, or the tab of the customer's
/// page it was posted from.
pub(super) fn back_to(top: &str, from: Option<CustomerOrganizationId>, tab: &str) -> String {
    match from {
        Some(customer) => format!("/customers/{customer}?tab={tab}"),
        None => top.to_owned(),
    }
}

/// The page of its own that a users or secrets form answers on when it was
/// not posted from a customer's page.
#[derive(Debug, Clone, Copy)]
pub(super) enum OwnPage {
    /// `/users`.
    Users,
    /// `/secrets`.
    Secrets,
}

/// Renders the page a users or secrets form came from with `notes`: the
/// customer page's Users or Secrets tab when a vendor posted from it, else
/// the form's own page.
pub(super) async fn answer(
    state: &AppState,
    session: &Session,
    own: OwnPage,
    from: Option<CustomerOrganizationId>,
    notes: Notes,
    status: StatusCode,
) -> Result<Response, PortalError> {
    match from {
        Some(customer) if session.principal.is_vendor() => {
            let tab = match own {
                OwnPage::Users => CustomerTab::Users,
                OwnPage::Secrets => CustomerTab::Secrets,
            };
            customers::detail_answer(state, session, customer, tab, notes, status).await
        }
        _ => match own {
            OwnPage::Users => users::users_page(state, session, notes, status).await,
            OwnPage::Secrets => secrets::secrets_page(state, session, notes, status).await,
        },
    }
}

/// An API error that a form shows inline (a 4xx other than 404), with its
/// status; any other error becomes an error page.
pub(super) fn shown_inline(err: ApiError) -> Result<(StatusCode, ApiError), PortalError> {
    if err.status == StatusCode::NOT_FOUND || !err.status.is_client_error() {
        return Err(err.into());
    }
    Ok((err.status, err))
}
