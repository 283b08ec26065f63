//! The agent-facing protocol (AP §2–§5, §9, §11): connect, login, desired
//! state, status, metrics and logs, plus the user-side access request.

pub mod access_request;
pub mod connect;
pub mod credentials;
pub mod desired;
pub mod extract;
pub mod input;
pub mod last_good;
pub mod login;
pub mod longpoll;
pub mod manifest;
pub mod render;
pub mod resources;
pub mod status;
pub mod telemetry;
pub mod token;

use axum::Router;
use axum::routing::{get, post, put};

use crate::state::AppState;

/// The agent routes, to be mounted under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connect", get(connect::get_connect))
        .route("/pre-connect", get(connect::get_pre_connect))
        .route("/agent/login", post(login::login))
        .route("/agent/manifest", get(manifest::get_manifest))
        .route("/agent/resources", get(resources::get_resources))
        .route("/agent/status", post(status::post_status))
        .route("/agent/metrics", post(telemetry::post_metrics))
        .route("/agent/logs", put(telemetry::put_logs))
        .route(
            "/agent/deployment-target-logs",
            put(telemetry::put_target_logs),
        )
        .route(
            "/deployment-targets/{id}/access-request",
            post(access_request::post_access_request),
        )
}
