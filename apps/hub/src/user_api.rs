//! The user API (HS §3). Being written.

use axum::Router;

use crate::state::AppState;

/// The user routes, to be mounted under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
}
