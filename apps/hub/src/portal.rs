//! The vendor and customer portal (HS §4): server-rendered HTML from
//! compile-time-checked askama templates, embedded CSS and one small script,
//! usable without JavaScript. Session cookie and CSRF per HS §4.1.
//!
//! Handlers call the same functions as the user API (`crate::user_api`), so
//! no business rule exists twice; an [`ApiError`](crate::problem::ApiError)
//! is shown inline (`detail` and `errors[]`).

mod application;
mod applications;
mod assets;
mod chart;
mod connect;
mod csrf;
mod customers;
mod deployment;
mod deployment_logs;
mod deployment_status;
mod deployment_update;
mod dots;
mod gauges;
mod links;
mod live_rows;
mod login;
mod overview;
mod page;
mod people;
mod secrets;
mod session;
mod settings;
mod switcher;
mod target;
mod target_delete;
mod target_edit;
mod target_live;
mod users;
mod versions;
mod wizard;
mod wizard_owner;
mod wizard_secrets;

pub use csrf::csrf_token;
pub use session::SESSION_COOKIE;

use axum::routing::{get, post};
use axum::{Router, middleware};

use crate::state::AppState;

/// The portal routes, mounted at the root next to `/api/v1`.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(overview::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/deployments", get(overview::page))
        .route("/ui/health", get(overview::health))
        .route("/deployments/new", get(wizard::page).post(wizard::submit))
        .route("/deployments/{id}", get(deployment::page))
        .route(
            "/deployments/{id}/restart",
            post(deployment_update::restart),
        )
        .route("/deployments/{id}/logs", post(deployment_update::logs))
        .route("/deployments/{id}/update", post(deployment_update::update))
        .route(
            "/deployments/{id}/undeploy",
            post(deployment_update::remove),
        )
        .route(
            "/deployments/{id}/status/export",
            get(deployment_status::export),
        )
        .route(
            "/deployments/{id}/logs/export",
            get(deployment_logs::export),
        )
        .route("/ui/deployments/{id}/status", get(deployment_status::live))
        .route("/ui/deployments/{id}/logs", get(deployment_logs::live))
        .route(
            "/applications",
            get(applications::list).post(applications::create),
        )
        // Applications and versions (HS §4.4).
        .route("/applications/{id}", get(application::detail))
        .route("/applications/{id}/rename", post(application::rename))
        .route("/applications/{id}/delete", post(application::remove))
        .route("/applications/{id}/versions", post(versions::create))
        .route("/applications/{id}/versions/new", get(versions::new_form))
        .route("/applications/{id}/versions/{vid}", get(versions::view))
        .route(
            "/applications/{id}/versions/{vid}/archive",
            post(versions::archive),
        )
        .route(
            "/applications/{id}/versions/{vid}/delete",
            post(versions::remove),
        )
        .route("/deployment-targets/{id}", get(target::page))
        .route("/deployment-targets/{id}/edit", post(target_edit::edit))
        .route(
            "/deployment-targets/{id}/agent-update",
            post(target_edit::agent_update),
        )
        .route(
            "/deployment-targets/{id}/delete",
            post(target_delete::remove),
        )
        .route(
            "/deployment-targets/{id}/logs/export",
            get(target_live::export),
        )
        .route(
            "/ui/deployment-targets/{id}/logs",
            get(target_live::log_rows),
        )
        .route(
            "/ui/deployment-targets/{id}/charts",
            get(target_live::chart_fragment),
        )
        .route(
            "/deployment-targets/{id}/connect",
            get(connect::confirm).post(connect::submit),
        )
        // people, secrets, settings
        .route("/customers", get(customers::list).post(customers::create))
        .route("/customers/{id}", get(customers::detail))
        .route("/customers/{id}/rename", post(customers::rename))
        .route("/customers/{id}/delete", post(customers::remove))
        .route("/secrets", get(secrets::page).post(secrets::create))
        .route("/secrets/{id}/replace", post(secrets::replace))
        .route("/secrets/{id}/delete", post(secrets::remove))
        .route("/users", get(users::page).post(users::create))
        .route("/users/{id}/role", post(users::change_role))
        .route("/users/{id}/invite", post(users::reinvite))
        .route("/users/{id}/reset-link", post(users::reset_link))
        .route("/users/{id}/remove", post(users::remove))
        .route(
            "/settings/profile",
            get(settings::profile).post(settings::save_profile),
        )
        .route(
            "/settings/access-tokens",
            get(settings::tokens).post(settings::create_token_form),
        )
        .route(
            "/settings/access-tokens/{id}/revoke",
            post(settings::revoke),
        )
        .route(
            "/settings/organization",
            get(settings::organization).post(settings::save_organization),
        )
        .route("/switch", get(switcher::page).post(switcher::switch))
        .route("/join", get(links::join_form).post(links::join))
        .route("/reset", get(links::reset_form).post(links::reset))
        // end of people, secrets, settings
        .route("/static/portal.css", get(assets::css))
        .route("/static/portal.js", get(assets::js))
        .layer(middleware::from_fn_with_state(state, session::renew))
        .layer(middleware::from_fn(page::security_headers))
}
