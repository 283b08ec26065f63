use chrono::{DateTime, Utc};
use distr_domain::ids::{AgentVersionId, CustomerOrganizationId, OrganizationId, TargetId};
use distr_domain::target::{
    AgentResources, AgentVersion, DeploymentTarget, KubernetesScope, TargetKind,
};

use super::{fresh_uuid, name, now_micros};

/// Builds a [`DeploymentTarget`]: vendor-owned, never contacted, no secret.
///
/// Stores with foreign keys need [`TargetBuilder::agent_version`] to name a
/// stored agent version; the default is a fresh, unstored id.
#[derive(Debug, Clone)]
pub struct TargetBuilder(DeploymentTarget);

impl TargetBuilder {
    /// A docker target named `target`.
    #[must_use]
    pub fn docker(org: OrganizationId) -> Self {
        Self::of_kind(org, TargetKind::Docker)
    }

    /// A kubernetes target in `namespace` with RBAC `scope`.
    #[must_use]
    pub fn kubernetes(org: OrganizationId, namespace: &str, scope: KubernetesScope) -> Self {
        Self::of_kind(
            org,
            TargetKind::Kubernetes {
                namespace: namespace.to_owned(),
                scope,
            },
        )
    }

    fn of_kind(org: OrganizationId, kind: TargetKind) -> Self {
        Self(DeploymentTarget {
            id: TargetId::from_uuid(fresh_uuid()),
            organization_id: org,
            customer_organization_id: None,
            created_at: now_micros(),
            name: name("target"),
            kind,
            metrics_enabled: false,
            resources: None,
            agent_version_id: AgentVersionId::from_uuid(fresh_uuid()),
            reported_agent_version_id: None,
            secret: None,
            heartbeat: None,
        })
    }

    /// Makes `customer` the owner.
    #[must_use]
    pub fn owned_by(mut self, customer: CustomerOrganizationId) -> Self {
        self.0.customer_organization_id = Some(customer);
        self
    }

    /// Sets the desired agent version.
    #[must_use]
    pub fn agent_version(mut self, version: AgentVersionId) -> Self {
        self.0.agent_version_id = version;
        self
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, value: &str) -> Self {
        self.0.name = name(value);
        self
    }

    /// Enables or disables metrics collection.
    #[must_use]
    pub fn metrics_enabled(mut self, enabled: bool) -> Self {
        self.0.metrics_enabled = enabled;
        self
    }

    /// Sets kubernetes agent resources.
    #[must_use]
    pub fn resources(mut self, resources: AgentResources) -> Self {
        self.0.resources = Some(resources);
        self
    }

    /// Sets the creation time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// The target.
    #[must_use]
    pub fn build(self) -> DeploymentTarget {
        self.0
    }
}

/// Builds an [`AgentVersion`] without image overrides.
#[derive(Debug, Clone)]
pub struct AgentVersionBuilder(AgentVersion);

impl AgentVersionBuilder {
    /// A version named `name` (the image tag).
    #[must_use]
    pub fn new(name: &str) -> Self {
        Self(AgentVersion {
            id: AgentVersionId::from_uuid(fresh_uuid()),
            created_at: now_micros(),
            name: name.to_owned(),
            docker_image_repository: None,
            kubernetes_image_repository: None,
        })
    }

    /// Sets the image repository overrides.
    #[must_use]
    pub fn repositories(mut self, docker: Option<&str>, kubernetes: Option<&str>) -> Self {
        self.0.docker_image_repository = docker.map(str::to_owned);
        self.0.kubernetes_image_repository = kubernetes.map(str::to_owned);
        self
    }

    /// Sets the creation time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// The agent version.
    #[must_use]
    pub fn build(self) -> AgentVersion {
        self.0
    }
}
