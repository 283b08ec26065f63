use async_trait::async_trait;
use distr_domain::application::{Application, ApplicationVersion};
use distr_domain::ids::{ApplicationId, ApplicationVersionId, OrganizationId};

use super::StoreError;

/// Applications and versions.
#[async_trait]
pub trait ApplicationStore: Send + Sync {
    /// Inserts an application.
    async fn create_application(&self, app: &Application) -> Result<(), StoreError>;

    /// Reads one application of `org`.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn get_application(
        &self,
        org: OrganizationId,
        id: ApplicationId,
    ) -> Result<Application, StoreError>;

    /// The applications of `org`, by name.
    async fn list_applications(&self, org: OrganizationId) -> Result<Vec<Application>, StoreError>;

    /// Inserts a version of an existing application.
    ///
    /// # Errors
    /// MUST return `Conflict` when the application has a version with that name,
    /// and `NotFound` when the application does not exist.
    async fn create_version(&self, version: &ApplicationVersion) -> Result<(), StoreError>;

    /// Reads a version whose application belongs to `org`.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or a version of another organization.
    async fn get_version(
        &self,
        org: OrganizationId,
        id: ApplicationVersionId,
    ) -> Result<ApplicationVersion, StoreError>;

    /// Reads versions by id without organization scoping (agent rendering).
    /// Unknown ids MUST be left out.
    async fn get_versions(
        &self,
        ids: &[ApplicationVersionId],
    ) -> Result<Vec<ApplicationVersion>, StoreError>;

    /// The versions of an application, oldest first.
    async fn list_versions(
        &self,
        app: ApplicationId,
    ) -> Result<Vec<ApplicationVersion>, StoreError>;
}
