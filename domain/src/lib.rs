//! `distr-domain`: the pure model of Distr and every decision that needs no I/O.
//!
//! Entities are plain data with validated value types; decisions are
//! functions of data. Nothing here performs I/O, spawns tasks or reads a clock.

pub mod agent;
pub mod application;
pub mod canonical;
pub mod compose;
pub mod deployment;
pub mod duration;
pub mod health;
pub mod ids;
pub mod manifest;
pub mod metrics_series;
pub mod names;
pub mod organization;
pub mod protocol;
pub mod redact;
pub mod render;
pub mod retention;
pub mod secret;
pub mod semver;
pub mod target;
pub mod telemetry;
pub mod template;
pub mod user;
pub mod validation;
pub mod values;
