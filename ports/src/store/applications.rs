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

    /// Renames an application of `app.organization_id` (the type is immutable).
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization.
    async fn update_application(&self, app: &Application) -> Result<(), StoreError>;

    /// Deletes an application of `org` with its versions.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or one of another organization,
    /// and `InUse("application")`, deleting nothing, while a deployment or a
    /// revision references it or any of its versions (HS §2.5).
    async fn delete_application(
        &self,
        org: OrganizationId,
        id: ApplicationId,
    ) -> Result<(), StoreError>;

    /// Replaces `name` and `archived_at` of a version whose application
    /// belongs to `org`; nothing else of a version changes.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or a version of another
    /// organization, and `Conflict` when the application has another version
    /// with that name.
    async fn update_version(
        &self,
        org: OrganizationId,
        version: &ApplicationVersion,
    ) -> Result<(), StoreError>;

    /// Deletes a version whose application belongs to `org`.
    ///
    /// # Errors
    /// MUST return `NotFound` for an unknown id or a version of another
    /// organization, and `InUse("application version")`, deleting nothing,
    /// while a revision references it (HS §2.5).
    async fn delete_version(
        &self,
        org: OrganizationId,
        id: ApplicationVersionId,
    ) -> Result<(), StoreError>;
}
