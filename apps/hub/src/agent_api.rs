//! The agent-facing protocol (AP §2–§5, §9, §11): connect, login, desired
//! state, status, metrics and logs, plus the user-side access request.

pub mod credentials;
pub mod extract;
pub mod input;
pub mod login;
pub mod render;
pub mod token;

use axum::Router;
use axum::routing::post;

use crate::state::AppState;

/// The agent routes, to be mounted under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/agent/login", post(login::login))
}
