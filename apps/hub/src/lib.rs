//! `distr-hub`: the Distr control plane as a library. `main.rs` only parses the
//! command line and calls into [`cli`].

pub mod agent_api;
pub mod auth;
pub mod changes;
pub mod cli;
pub mod clock;
pub mod config;
pub mod logging;
pub mod metrics;
pub mod openapi;
pub mod portal;
pub mod problem;
pub mod rate_limit;
pub mod retention;
pub mod router;
pub mod server;
pub mod state;
pub mod user_api;
