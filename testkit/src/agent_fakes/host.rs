//! Fake host metrics, registry authentication and self-update.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use distr_domain::ids::DeploymentId;
use distr_domain::protocol::{AgentDeployment, MetricsReport};
use distr_ports::agent::{
    DockerError, HostMetrics, MetricsError, RegistryAuthenticator, SelfUpdater,
};

use super::lock;

/// [`HostMetrics`] returning one fixed sample and counting calls.
#[derive(Debug, Clone, Default)]
pub struct FakeMetrics {
    samples: Arc<Mutex<usize>>,
}

impl FakeMetrics {
    /// The sample every call returns.
    pub const SAMPLE: MetricsReport = MetricsReport {
        cpu_cores_millis: 4000,
        cpu_usage: 0.25,
        memory_bytes: 8 * 1024 * 1024 * 1024,
        memory_usage: 0.5,
    };

    /// A fresh fake.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Samples taken so far.
    #[must_use]
    pub fn sample_count(&self) -> usize {
        *lock(&self.samples)
    }
}

#[async_trait]
impl HostMetrics for FakeMetrics {
    async fn sample(&self) -> Result<MetricsReport, MetricsError> {
        *lock(&self.samples) += 1;
        Ok(Self::SAMPLE)
    }
}

#[derive(Debug, Default)]
struct AuthState {
    calls: Vec<(DeploymentId, Option<String>)>,
    failures: HashMap<DeploymentId, String>,
    config_dir: Option<PathBuf>,
}

/// [`RegistryAuthenticator`] recording each call (deployment and token).
#[derive(Debug, Clone, Default)]
pub struct FakeRegistryAuth {
    state: Arc<Mutex<AuthState>>,
}

impl FakeRegistryAuth {
    /// Succeeds with no `DOCKER_CONFIG` override.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes `prepare` of `deployment` fail with `text`.
    pub fn fail_for(&self, deployment: DeploymentId, text: &str) {
        lock(&self.state)
            .failures
            .insert(deployment, text.to_owned());
    }

    /// The directory `prepare` returns.
    pub fn set_config_dir(&self, dir: Option<PathBuf>) {
        lock(&self.state).config_dir = dir;
    }

    /// Every call: deployment and the Hub token passed.
    #[must_use]
    pub fn calls(&self) -> Vec<(DeploymentId, Option<String>)> {
        lock(&self.state).calls.clone()
    }
}

#[async_trait]
impl RegistryAuthenticator for FakeRegistryAuth {
    async fn prepare(
        &self,
        deployment: &AgentDeployment,
        hub_token: Option<&str>,
    ) -> Result<Option<PathBuf>, DockerError> {
        let mut state = lock(&self.state);
        state
            .calls
            .push((deployment.id, hub_token.map(str::to_owned)));
        match state.failures.get(&deployment.id) {
            Some(text) => Err(DockerError(text.clone())),
            None => Ok(state.config_dir.clone()),
        }
    }
}

/// [`SelfUpdater`] recording manifests; succeeds unless told otherwise.
#[derive(Debug, Clone, Default)]
pub struct FakeSelfUpdater {
    state: Arc<Mutex<(Vec<String>, Option<String>)>>,
}

impl FakeSelfUpdater {
    /// An updater that succeeds.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes updates fail with `text`.
    pub fn fail_with(&self, text: &str) {
        lock(&self.state).1 = Some(text.to_owned());
    }

    /// The manifests of every update attempt.
    #[must_use]
    pub fn manifests(&self) -> Vec<String> {
        lock(&self.state).0.clone()
    }
}

#[async_trait]
impl SelfUpdater for FakeSelfUpdater {
    async fn self_update(&self, manifest_yaml: &str) -> Result<(), DockerError> {
        let mut state = lock(&self.state);
        state.0.push(manifest_yaml.to_owned());
        state
            .1
            .clone()
            .map_or(Ok(()), |text| Err(DockerError(text)))
    }
}
