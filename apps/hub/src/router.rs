//! The HTTP router: infrastructure endpoints, the user API and the agent API
//! under one envelope (request ids, problem documents, access log, body limit).

mod envelope;

pub use envelope::{AccessNote, RequestContext, note_access};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router, middleware};
use serde_json::json;
use tower_http::limit::RequestBodyLimitLayer;

use crate::problem::ApiError;
use crate::state::AppState;

/// The body limit of every route (HS §3.1, AP §3.1).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Whether this replica still takes traffic; `/ready` answers 503 once
/// draining starts (HS §6.4 step 1), before long-polls are released.
#[derive(Debug, Clone, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    /// Marks the replica as draining: `/ready` turns 503 at once.
    pub fn set_draining(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether draining started.
    #[must_use]
    pub fn is_draining(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Builds the complete application.
pub fn build_router(state: AppState) -> Router {
    build_router_with(state, Readiness::default())
}

/// Builds the complete application with a readiness handle the server controls.
pub fn build_router_with(state: AppState, readiness: Readiness) -> Router {
    let api = crate::user_api::routes()
        .merge(crate::agent_api::routes())
        .route("/openapi.json", get(crate::openapi::serve));
    let mut router = Router::new()
        .route("/status", get(status))
        .route("/ready", get(ready))
        .route("/api/docs", get(crate::openapi::html::page));
    // With METRICS_LISTEN_ADDR set, only the metrics listener serves it (HS §3.10).
    if state.config.metrics_listen_addr.is_none() {
        router = router.route("/metrics", get(crate::metrics::endpoint::scrape));
    }
    router
        .nest("/api/v1", api)
        .merge(crate::portal::routes(state.clone()))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::from_fn(envelope::envelope))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state.metrics),
            crate::metrics::http::track,
        ))
        .layer(Extension(readiness))
        .with_state(state)
}

/// The router of the separate `METRICS_LISTEN_ADDR` listener: only
/// `GET /metrics`, in the same envelope.
pub fn build_metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(crate::metrics::endpoint::scrape))
        .fallback(not_found)
        .layer(middleware::from_fn(envelope::envelope))
        .with_state(state)
}

async fn status() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn ready(
    State(state): State<AppState>,
    Extension(readiness): Extension<Readiness>,
) -> Response {
    let shutting_down = readiness.is_draining() || *state.shutdown.borrow();
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
