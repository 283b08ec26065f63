//! The agent-facing protocol (AP §2–§5, §9, §11): connect, login, desired
//! state, status, metrics and logs, plus the user-side access request.

pub mod render;

use axum::Router;

use crate::state::AppState;

/// The agent routes, to be mounted under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
}
