//! Docker Engine API adapter (bollard) for the docker agent: the containers
//! of a compose project, the services of a swarm stack and their logs
//! (AP §7.5, §7.8, §11g). The mapping from engine JSON is pure and lives in
//! [`containers`], [`services`] and [`logs`].

pub mod containers;
mod engine;
pub mod logs;
pub mod services;

pub use engine::BollardEngine;
