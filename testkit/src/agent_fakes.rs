//! In-memory fakes of the agent ports (`distr_ports::agent`): a scriptable
//! Hub, docker runtime and engine, Helm and a Kubernetes cluster, state records, metrics, registry
//! authentication and self-update. Every fake records its calls so tests can
//! count and inspect them; clones share state.

mod desired;
mod docker;
mod helm;
mod host;
mod hub;
mod kube;
mod state;

pub use desired::{
    agent_resource, compose_project_of, docker_deployment, helm_deployment, next_revision,
};
pub use docker::{FakeDockerEngine, FakeDockerRuntime, RuntimeCall};
pub use helm::{FakeHelm, FakeRelease, HelmCall};
pub use host::{FakeMetrics, FakeRegistryAuth, FakeSelfUpdater};
pub use hub::{FakeHub, PostedStatus, ResourcesRequest};
pub use kube::FakeKube;
pub use state::MemoryDockerState;

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks a fake's state; a panic in another test thread must not cascade.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
