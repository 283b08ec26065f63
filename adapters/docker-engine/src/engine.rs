//! [`DockerEngine`] over the local Docker socket with bollard.

use std::collections::HashMap;

use async_trait::async_trait;
use bollard::Docker;
use bollard::models::ContainerSummary;
use bollard::query_parameters::{ListContainersOptions, ListServicesOptions, LogsOptions};
use chrono::{DateTime, Utc};
use distr_domain::agent::{ContainerState, DockerRecord, ServiceState, WorkloadLogLine};
use distr_domain::deployment::DockerType;
use distr_ports::agent::{DockerEngine, DockerError};
use futures::StreamExt;
use tokio::sync::OnceCell;

use crate::containers::{
    COMPOSE_PROJECT_LABEL, container_name, container_state, is_one_off, needs_inspect,
};
use crate::logs::{LineAssembler, compose_log_lines, since_seconds, swarm_log_lines};
use crate::services::{STACK_NAMESPACE_LABEL, service_name, service_state};

/// The Docker Engine API client of the docker agent.
///
/// bollard speaks API 1.53 by default; the first request negotiates down
/// to the engine's version (1.41 for Engine 20.10), because older engines
/// reject newer versions with 400.
#[derive(Debug)]
pub struct BollardEngine {
    docker: Docker,
    negotiated: OnceCell<Docker>,
}

impl BollardEngine {
    /// Connects to the local engine (`DOCKER_HOST` if it is a `unix://`
    /// address, else `/var/run/docker.sock`). Nothing is sent yet.
    ///
    /// # Errors
    /// When the client cannot be built.
    pub fn connect() -> Result<Self, DockerError> {
        let docker = Docker::connect_with_local_defaults()
            .map_err(|e| DockerError(format!("cannot connect to the docker engine: {e}")))?;
        Ok(Self::with_client(docker))
    }

    /// Wraps an existing bollard client (e.g. one for another socket).
    #[must_use]
    pub fn with_client(docker: Docker) -> Self {
        Self {
            docker,
            negotiated: OnceCell::new(),
        }
    }

    /// The client after API version negotiation; a failed negotiation is
    /// retried on the next call.
    async fn client(&self) -> Result<&Docker, DockerError> {
        self.negotiated
            .get_or_try_init(|| async {
                self.docker.clone().negotiate_version().await.map_err(|e| {
                    DockerError(format!("cannot negotiate the docker API version: {e}"))
                })
            })
            .await
    }

    /// The project's service containers, stopped ones included, one-offs excluded.
    async fn list_project_containers(
        &self,
        project: &str,
    ) -> Result<Vec<ContainerSummary>, DockerError> {
        let options = ListContainersOptions {
            all: true,
            filters: Some(label_filter(COMPOSE_PROJECT_LABEL, project)),
            ..Default::default()
        };
        self.client()
            .await?
            .list_containers(Some(options))
            .await
            .map(|containers| containers.into_iter().filter(|c| !is_one_off(c)).collect())
            .map_err(|e| DockerError(format!("cannot list containers of {project}: {e}")))
    }

    async fn list_stack_services(
        &self,
        project: &str,
        status: bool,
    ) -> Result<Vec<bollard::models::Service>, DockerError> {
        let options = ListServicesOptions {
            filters: Some(label_filter(STACK_NAMESPACE_LABEL, project)),
            status: Some(status),
        };
        self.client()
            .await?
            .list_services(Some(options))
            .await
            .map_err(|e| DockerError(format!("cannot list services of {project}: {e}")))
    }

    async fn compose_logs(
        &self,
        project: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, DockerError> {
        let docker = self.client().await?;
        let mut shipped = Vec::new();
        for summary in self.list_project_containers(project).await? {
            let name = container_name(&summary);
            let mut frames = docker.logs(&name, Some(logs_options(since)));
            let lines = collect_lines(&mut frames, &name).await?;
            shipped.extend(compose_log_lines(project, &name, lines, since));
        }
        Ok(shipped)
    }

    async fn swarm_logs(
        &self,
        project: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, DockerError> {
        let docker = self.client().await?;
        let mut shipped = Vec::new();
        for service in self.list_stack_services(project, false).await? {
            let name = service_name(&service);
            let mut frames = docker.service_logs(&name, Some(logs_options(since)));
            let lines = collect_lines(&mut frames, &name).await?;
            shipped.extend(swarm_log_lines(&name, lines, since));
        }
        Ok(shipped)
    }
}

#[async_trait]
impl DockerEngine for BollardEngine {
    async fn project_containers(&self, project: &str) -> Result<Vec<ContainerState>, DockerError> {
        let docker = self.client().await?;
        let mut states = Vec::new();
        for summary in self.list_project_containers(project).await? {
            // Only stopped containers are inspected: their exit code and health
            // go into error messages, and the list's text is enough otherwise.
            let inspect = if needs_inspect(&summary) {
                let name = container_name(&summary);
                docker.inspect_container(&name, None).await.ok()
            } else {
                None
            };
            states.push(container_state(&summary, inspect.as_ref()));
        }
        Ok(states)
    }

    async fn stack_services(&self, project: &str) -> Result<Vec<ServiceState>, DockerError> {
        let services = self.list_stack_services(project, true).await?;
        Ok(services.iter().map(service_state).collect())
    }

    async fn logs_since(
        &self,
        record: &DockerRecord,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, DockerError> {
        match record.docker_type {
            DockerType::Swarm => self.swarm_logs(&record.project_name, since).await,
            DockerType::Compose => self.compose_logs(&record.project_name, since).await,
        }
    }
}

fn label_filter(label: &str, value: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([("label".to_owned(), vec![format!("{label}={value}")])])
}

fn logs_options(since: DateTime<Utc>) -> LogsOptions {
    LogsOptions {
        stdout: true,
        stderr: true,
        timestamps: true,
        since: since_seconds(since),
        ..Default::default()
    }
}

async fn collect_lines<S>(
    frames: &mut S,
    source: &str,
) -> Result<Vec<(crate::logs::LogStream, String)>, DockerError>
where
    S: futures::Stream<Item = Result<bollard::container::LogOutput, bollard::errors::Error>>
        + Unpin,
{
    let mut assembler = LineAssembler::default();
    while let Some(frame) = frames.next().await {
        let frame = frame.map_err(|e| DockerError(format!("cannot read logs of {source}: {e}")))?;
        assembler.push(&frame);
    }
    Ok(assembler.finish())
}

#[cfg(test)]
mod tests;
