//! The HTTP router: infrastructure endpoints, the user API and the agent API
//! under one envelope (request ids, problem documents, access log, body limit).

mod envelope;

pub use envelope::{AccessNote, RequestContext, note_access};

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use serde_json::json;
use tower_http::limit::RequestBodyLimitLayer;

use crate::problem::ApiError;
use crate::state::AppState;

/// The body limit of every route (HS §3.1, AP §3.1).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Builds the complete application.
pub fn build_router(state: AppState) -> Router {
    let api = crate::user_api::routes().merge(crate::agent_api::routes());
    Router::new()
        .route("/status", get(status))
        .route("/ready", get(ready))
        .nest("/api/v1", api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::from_fn(envelope::envelope))
        .with_state(state)
}

async fn status() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn ready(State(state): State<AppState>) -> Response {
    let shutting_down = *state.shutdown.borrow();
    let ready = !shutting_down && state.store.ping().await.is_ok();
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(json!({ "ready": ready }))).into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}
