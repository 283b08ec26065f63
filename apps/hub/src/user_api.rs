//! The user API (HS §3): JSON over HTTP under `/api/v1`, authenticated by
//! user JWTs or PATs, scoped per HS §3.3 (404 outside the caller's scope,
//! 403 for visible objects the role may not change).

pub(crate) mod agent_versions;
pub(crate) mod applications;
pub(crate) mod assemble;
pub(crate) mod context;
pub(crate) mod customers;
pub(crate) mod deployment_history;
pub(crate) mod deployment_logs;
pub(crate) mod deployments;
mod export;
mod input;
pub(crate) mod invites;
pub(crate) mod login;
pub(crate) mod metrics;
mod openapi;
pub(crate) mod organization;
pub(crate) mod paging;
pub(crate) mod profile;
pub(crate) mod secrets;
pub(crate) mod status;
pub(crate) mod target_changes;
pub(crate) mod target_logs;
pub(crate) mod targets;
pub(crate) mod tokens;
pub(crate) mod users;
pub(crate) mod version_changes;
pub(crate) mod versions;
pub(crate) mod views;

pub use input::{JsonBody, parse_id};
pub use openapi::UserApiDoc;

use axum::Router;
use axum::routing::{delete, get, patch, post, put};

use crate::state::AppState;

/// The user routes, to be mounted under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login::login))
        .route("/auth/switch-context", post(context::switch_context))
        .route("/auth/accept-invite", post(invites::accept_invite))
        .route("/auth/reset-password", post(invites::reset_password))
        .route("/context", get(context::context))
        .route("/organizations", get(context::organizations))
        .route(
            "/organization",
            get(organization::get_one).put(organization::update),
        )
        .route("/settings/user", post(profile::update))
        .route("/user-accounts", get(users::list).post(users::create))
        .route(
            "/user-accounts/{id}",
            patch(users::patch).delete(users::delete),
        )
        .route("/user-accounts/{id}/invite", post(users::reinvite))
        .route(
            "/user-accounts/{id}/password-reset",
            post(users::password_reset),
        )
        .route("/settings/tokens", get(tokens::list).post(tokens::create))
        .route("/settings/tokens/{id}", delete(tokens::delete))
        .route(
            "/applications",
            get(applications::list).post(applications::create),
        )
        .route(
            "/applications/{id}",
            get(applications::get_one)
                .put(applications::update)
                .patch(applications::patch)
                .delete(applications::delete),
        )
        .route("/applications/{id}/versions", post(versions::create))
        .route(
            "/applications/{id}/versions/{vid}",
            get(version_changes::get_one)
                .put(version_changes::update)
                .delete(version_changes::delete),
        )
        .route(
            "/applications/{id}/versions/{vid}/compose-file",
            get(version_changes::compose_file),
        )
        .route(
            "/applications/{id}/versions/{vid}/values-file",
            get(version_changes::values_file),
        )
        .route(
            "/applications/{id}/versions/{vid}/template-file",
            get(version_changes::template_file),
        )
        .route(
            "/customer-organizations",
            get(customers::list).post(customers::create),
        )
        .route(
            "/customer-organizations/{id}",
            get(customers::get_one)
                .put(customers::update)
                .delete(customers::delete),
        )
        .route("/secrets", get(secrets::list).post(secrets::create))
        .route(
            "/secrets/{id}",
            put(secrets::update).delete(secrets::delete),
        )
        .route(
            "/deployment-targets",
            get(targets::list).post(targets::create),
        )
        .route(
            "/deployment-targets/{id}",
            get(targets::get_one)
                .put(target_changes::update)
                .delete(target_changes::delete),
        )
        .route("/deployment-targets/{id}/logs", get(target_logs::list))
        .route(
            "/deployment-targets/{id}/logs/export",
            get(target_logs::export),
        )
        .route("/deployment-targets/{id}/metrics", get(metrics::series))
        .route("/deployment-target-metrics", get(metrics::latest))
        .route("/agent-versions", get(agent_versions::list))
        .route("/deployments", put(deployments::put))
        .route(
            "/deployments/{id}",
            get(deployments::get_one)
                .patch(deployment_history::patch)
                .delete(deployments::delete),
        )
        .route(
            "/deployments/{id}/revisions",
            get(deployment_history::revisions),
        )
        .route("/deployments/{id}/status", get(status::list))
        .route(
            "/deployments/{id}/status/export",
            get(deployment_history::status_export),
        )
        .route("/deployments/{id}/logs", get(deployment_logs::list))
        .route(
            "/deployments/{id}/logs/export",
            get(deployment_logs::export),
        )
        .route(
            "/deployments/{id}/logs/resources",
            get(deployment_logs::resources),
        )
}
