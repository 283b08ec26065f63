//! Rows the contract cases need as context, created through the store itself.

use distr_domain::application::{Application, ApplicationVersion};
use distr_domain::deployment::{Deployment, DeploymentRevision};
use distr_domain::ids::OrganizationId;
use distr_domain::organization::{CustomerOrganization, Organization};
use distr_domain::target::{AgentVersion, DeploymentTarget};
use distr_ports::Store;

use crate::builders::{
    AgentVersionBuilder, ApplicationBuilder, CustomerBuilder, DeploymentBuilder,
    OrganizationBuilder, TargetBuilder, VersionBuilder, unique_suffix,
};

/// A deployment with everything it references.
#[derive(Debug, Clone)]
pub struct SeededDeployment {
    /// Vendor organization.
    pub org: Organization,
    /// Its target.
    pub target: DeploymentTarget,
    /// The deployed application.
    pub app: Application,
    /// The version of the first revision.
    pub version: ApplicationVersion,
    /// The deployment.
    pub deployment: Deployment,
    /// Its first revision.
    pub revision: DeploymentRevision,
}

/// Stores an organization with a unique slug.
///
/// # Panics
/// When the store rejects it.
pub async fn organization(store: &dyn Store) -> Organization {
    let org = OrganizationBuilder::new().unique_slug().build();
    store
        .create_organization(&org)
        .await
        .expect("create organization");
    org
}

/// Stores a customer of `org`.
///
/// # Panics
/// When the store rejects it.
pub async fn customer(store: &dyn Store, org: OrganizationId, name: &str) -> CustomerOrganization {
    let customer = CustomerBuilder::new(org).name(name).build();
    store
        .create_customer(&customer)
        .await
        .expect("create customer");
    customer
}

/// Stores an agent version with a unique name.
///
/// # Panics
/// When the store rejects it.
pub async fn agent_version(store: &dyn Store) -> AgentVersion {
    let version = AgentVersionBuilder::new(&format!("1.0.0-t{}", unique_suffix())).build();
    store
        .upsert_agent_version(&version)
        .await
        .expect("upsert agent version")
}

/// Stores a docker target of `org` named `name` (with a stored agent version).
///
/// # Panics
/// When the store rejects it.
pub async fn target(store: &dyn Store, org: OrganizationId, name: &str) -> DeploymentTarget {
    let version = agent_version(store).await;
    let target = TargetBuilder::docker(org)
        .name(name)
        .agent_version(version.id)
        .build();
    store.create_target(&target).await.expect("create target");
    target
}

/// Stores a docker application of `org` with one version `1.0.0`.
///
/// # Panics
/// When the store rejects them.
pub async fn docker_app(
    store: &dyn Store,
    org: OrganizationId,
) -> (Application, ApplicationVersion) {
    let app = ApplicationBuilder::docker(org).build();
    store
        .create_application(&app)
        .await
        .expect("create application");
    let version = VersionBuilder::docker(app.id).build();
    store
        .create_version(&version)
        .await
        .expect("create version");
    (app, version)
}

/// Stores a compose deployment of `version` on `target` with its first revision.
///
/// # Panics
/// When the store rejects it.
pub async fn deployment_on(
    store: &dyn Store,
    target: &DeploymentTarget,
    version: &ApplicationVersion,
) -> (Deployment, DeploymentRevision) {
    let (deployment, revision) =
        DeploymentBuilder::new(target.id, version.application_id).build_with_revision(version.id);
    store
        .create_deployment(&deployment, &revision)
        .await
        .expect("create deployment");
    (deployment, revision)
}

/// Stores an organization, target, application, version and a deployment.
///
/// # Panics
/// When the store rejects any of them.
pub async fn deployment(store: &dyn Store) -> SeededDeployment {
    let org = organization(store).await;
    let target = target(store, org.id, "target").await;
    let (app, version) = docker_app(store, org.id).await;
    let (deployment, revision) = deployment_on(store, &target, &version).await;
    SeededDeployment {
        org,
        target,
        app,
        version,
        deployment,
        revision,
    }
}
