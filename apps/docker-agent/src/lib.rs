//! `distr-docker-agent`: the docker agent's loop (AP §7). The reconcile
//! decisions are `distr_domain::agent::plan_docker`; [`DockerReconciler`]
//! executes them through the ports, and [`run`] wires it to the shared
//! orchestration of `distr-agent-core` (desired-state polling, tick loop,
//! metrics, log and self-log shipping).

mod adapters;
mod log_source;
mod reconciler;
mod run;

pub use adapters::DockerAdapters;
pub use log_source::DockerLogSource;
pub use reconciler::{DockerReconciler, TickOutcome};
pub use run::{run, tick_once};
