//! In-memory docker state records.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use distr_domain::agent::DockerRecord;
use distr_domain::ids::DeploymentId;
use distr_ports::agent::{DockerStateStore, StateError};

use super::lock;

#[derive(Debug, Default)]
struct StateInner {
    records: BTreeMap<DeploymentId, DockerRecord>,
    unreadable: bool,
    fail_writes: bool,
}

/// A [`DockerStateStore`] in memory; can pretend the directory is unreadable.
#[derive(Debug, Clone, Default)]
pub struct MemoryDockerState {
    inner: Arc<Mutex<StateInner>>,
}

impl MemoryDockerState {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The record of a deployment.
    #[must_use]
    pub fn get(&self, id: DeploymentId) -> Option<DockerRecord> {
        lock(&self.inner).records.get(&id).cloned()
    }

    /// Every record.
    #[must_use]
    pub fn records(&self) -> Vec<DockerRecord> {
        lock(&self.inner).records.values().cloned().collect()
    }

    /// Inserts a record directly (a state file left by an earlier run).
    pub fn insert(&self, record: DockerRecord) {
        lock(&self.inner).records.insert(record.id, record);
    }

    /// Makes `list` fail as for an unreadable directory.
    pub fn set_unreadable(&self, unreadable: bool) {
        lock(&self.inner).unreadable = unreadable;
    }

    /// Makes `put` and `delete` fail.
    pub fn fail_writes(&self, fail: bool) {
        lock(&self.inner).fail_writes = fail;
    }
}

fn io_error() -> StateError {
    StateError::Io("scripted state failure".to_owned())
}

#[async_trait]
impl DockerStateStore for MemoryDockerState {
    async fn list(&self) -> Result<Vec<DockerRecord>, StateError> {
        let inner = lock(&self.inner);
        if inner.unreadable {
            return Err(io_error());
        }
        Ok(inner.records.values().cloned().collect())
    }

    async fn put(&self, record: &DockerRecord) -> Result<(), StateError> {
        let mut inner = lock(&self.inner);
        if inner.fail_writes {
            return Err(io_error());
        }
        inner.records.insert(record.id, record.clone());
        Ok(())
    }

    async fn delete(&self, id: DeploymentId) -> Result<(), StateError> {
        let mut inner = lock(&self.inner);
        if inner.fail_writes {
            return Err(io_error());
        }
        inner.records.remove(&id);
        Ok(())
    }
}
