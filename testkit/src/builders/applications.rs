use chrono::{DateTime, Utc};
use distr_domain::application::{
    Application, ApplicationVersion, ChartType, PlatformType, VersionContent,
};
use distr_domain::ids::{ApplicationId, ApplicationVersionId, OrganizationId};

use super::{fresh_uuid, name, now_micros};

/// The default compose file of docker versions.
pub const DEFAULT_COMPOSE: &str = "services:\n  web:\n    image: nginx\n";

/// Builds an [`Application`].
#[derive(Debug, Clone)]
pub struct ApplicationBuilder(Application);

impl ApplicationBuilder {
    /// A docker application named `web`.
    #[must_use]
    pub fn docker(org: OrganizationId) -> Self {
        Self::of_type(org, PlatformType::Docker)
    }

    /// A kubernetes application named `web`.
    #[must_use]
    pub fn kubernetes(org: OrganizationId) -> Self {
        Self::of_type(org, PlatformType::Kubernetes)
    }

    fn of_type(org: OrganizationId, app_type: PlatformType) -> Self {
        Self(Application {
            id: ApplicationId::from_uuid(fresh_uuid()),
            organization_id: org,
            created_at: now_micros(),
            name: name("web"),
            app_type,
        })
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, value: &str) -> Self {
        self.0.name = name(value);
        self
    }

    /// Sets the creation time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// The application.
    #[must_use]
    pub fn build(self) -> Application {
        self.0
    }
}

/// Builds an [`ApplicationVersion`].
#[derive(Debug, Clone)]
pub struct VersionBuilder(ApplicationVersion);

impl VersionBuilder {
    /// A version of the application's type (docker or helm defaults).
    #[must_use]
    pub fn for_app(app: &Application) -> Self {
        match app.app_type {
            PlatformType::Docker => Self::docker(app.id),
            PlatformType::Kubernetes => Self::helm(app.id),
        }
    }

    /// A docker version `1.0.0` running `services: {web: {image: nginx}}`.
    #[must_use]
    pub fn docker(app: ApplicationId) -> Self {
        Self::with_content(
            app,
            VersionContent::Docker {
                compose_file: DEFAULT_COMPOSE.to_owned(),
                template_file: None,
            },
        )
    }

    /// A helm version `1.0.0` of chart `web` 1.0.0 from `https://charts.example.com`.
    #[must_use]
    pub fn helm(app: ApplicationId) -> Self {
        Self::with_content(
            app,
            VersionContent::Kubernetes {
                chart_type: ChartType::Repository,
                chart_url: "https://charts.example.com".to_owned(),
                chart_name: Some("web".to_owned()),
                chart_version: "1.0.0".to_owned(),
                values_file: None,
                template_file: None,
            },
        )
    }

    fn with_content(app: ApplicationId, content: VersionContent) -> Self {
        Self(ApplicationVersion {
            id: ApplicationVersionId::from_uuid(fresh_uuid()),
            application_id: app,
            created_at: now_micros(),
            name: name("1.0.0"),
            archived_at: None,
            content,
        })
    }

    /// Sets the version name.
    #[must_use]
    pub fn name(mut self, value: &str) -> Self {
        self.0.name = name(value);
        self
    }

    /// Sets the creation time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// Replaces the content (files and chart reference).
    #[must_use]
    pub fn content(mut self, content: VersionContent) -> Self {
        self.0.content = content;
        self
    }

    /// Marks the version archived at `at`.
    #[must_use]
    pub fn archived_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.archived_at = Some(at);
        self
    }

    /// The version.
    #[must_use]
    pub fn build(self) -> ApplicationVersion {
        self.0
    }
}
