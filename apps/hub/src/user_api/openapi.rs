//! The operations of the user API for the OpenAPI document (HS §3.10).
//! Every user route's handler carries a `#[utoipa::path]`; list it here too.
//! `tests/openapi.rs` fails when a route of [`super::routes`] is missing.

use utoipa::OpenApi;

/// The user routes' operations; the document around them is in
/// [`crate::openapi`].
#[derive(Debug, OpenApi)]
#[openapi(paths(
    super::login::login,
    super::context::switch_context,
    super::invites::accept_invite,
    super::invites::reset_password,
    super::context::context,
    super::context::organizations,
    super::organization::get_one,
    super::organization::update,
    super::profile::update,
    super::users::list,
    super::users::create,
    super::users::patch,
    super::users::delete,
    super::users::reinvite,
    super::users::password_reset,
    super::tokens::list,
    super::tokens::create,
    super::tokens::delete,
    super::applications::list,
    super::applications::create,
    super::applications::get_one,
    super::versions::create,
    super::customers::create,
    super::secrets::create,
    super::targets::list,
    super::targets::create,
    super::targets::get_one,
    super::target_changes::update,
    super::target_changes::delete,
    super::target_logs::list,
    super::target_logs::export,
    super::metrics::series,
    super::metrics::latest,
    super::agent_versions::list,
    super::deployments::put,
    super::deployments::get_one,
    super::deployments::delete,
    super::deployment_history::patch,
    super::deployment_history::revisions,
    super::deployment_history::status_export,
    super::status::list,
    super::deployment_logs::list,
    super::deployment_logs::export,
    super::deployment_logs::resources,
))]
pub struct UserApiDoc;
