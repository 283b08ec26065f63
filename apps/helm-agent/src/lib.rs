//! `distr-helm-agent`: the Kubernetes (Helm) agent's loop (AP §8). The
//! reconcile decisions are `distr_domain::agent::plan_helm`, `skew_guard`
//! and `helm_action`; [`HelmReconciler`] executes them through the Helm and
//! Kubernetes ports, and [`run`] wires it to the shared orchestration of
//! `distr-agent-core` (desired-state polling, tick loop, metrics, log and
//! self-log shipping), exactly as the docker agent does.

mod adapters;
mod log_source;
mod reconciler;
mod reload;
mod run;

pub use adapters::HelmAdapters;
pub use log_source::HelmLogSource;
pub use reconciler::{HelmReconciler, TickOutcome};
pub use reload::{ConfigReload, Connect, LookupEnv, ReadFiles};
pub use run::{run, tick_once};
