//! The user API, driven in-process through `build_router` on the in-memory
//! store and on SQLite.

mod api {
    #[macro_use]
    pub mod support;

    pub mod applications;
    pub mod auth;
    pub mod context;
    pub mod customers;
    pub mod deployment_history;
    pub mod deployments;
    pub mod fleet;
    pub mod health;
    pub mod infra;
    pub mod matrix;
    pub mod metrics;
    pub mod openapi;
    pub mod rekey;
    pub mod secrets;
    pub mod settings;
    pub mod statement_count;
    pub mod target_changes;
    pub mod targets;
    pub mod telemetry;
    pub mod users;
    pub mod versions;
}
