use chrono::{DateTime, Utc};
use distr_domain::deployment::{Deployment, DeploymentRevision, DockerType, RevisionTrigger};
use distr_domain::ids::{
    ApplicationId, ApplicationVersionId, DeploymentId, RevisionId, TargetId, UserAccountId,
};

use super::{fresh_uuid, now_micros};

/// Builds a [`Deployment`]: docker compose, logs disabled, by default.
#[derive(Debug, Clone)]
pub struct DeploymentBuilder(Deployment);

impl DeploymentBuilder {
    /// A compose deployment of `app` on `target`.
    #[must_use]
    pub fn new(target: TargetId, app: ApplicationId) -> Self {
        Self(Deployment {
            id: DeploymentId::from_uuid(fresh_uuid()),
            deployment_target_id: target,
            application_id: app,
            created_at: now_micros(),
            docker_type: Some(DockerType::Compose),
            release_name: None,
            logs_enabled: false,
        })
    }

    /// Sets the docker type.
    #[must_use]
    pub fn docker_type(mut self, docker_type: DockerType) -> Self {
        self.0.docker_type = Some(docker_type);
        self
    }

    /// Makes it a helm deployment with `release` (no docker type).
    #[must_use]
    pub fn release_name(mut self, release: &str) -> Self {
        self.0.docker_type = None;
        self.0.release_name = Some(release.to_owned());
        self
    }

    /// Enables or disables log shipping.
    #[must_use]
    pub fn logs_enabled(mut self, enabled: bool) -> Self {
        self.0.logs_enabled = enabled;
        self
    }

    /// Sets the creation time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// The deployment.
    #[must_use]
    pub fn build(self) -> Deployment {
        self.0
    }

    /// The deployment and a first revision of `version`, created at the same time.
    #[must_use]
    pub fn build_with_revision(
        self,
        version: ApplicationVersionId,
    ) -> (Deployment, DeploymentRevision) {
        let revision = RevisionBuilder::new(self.0.id, version)
            .created_at(self.0.created_at)
            .build();
        (self.0, revision)
    }
}

/// Builds a [`DeploymentRevision`] triggered by a user, without values or env.
#[derive(Debug, Clone)]
pub struct RevisionBuilder(DeploymentRevision);

impl RevisionBuilder {
    /// A revision of `deployment` running `version`.
    #[must_use]
    pub fn new(deployment: DeploymentId, version: ApplicationVersionId) -> Self {
        Self(DeploymentRevision {
            id: RevisionId::from_uuid(fresh_uuid()),
            deployment_id: deployment,
            created_at: now_micros(),
            application_version_id: version,
            values_yaml: None,
            env_file_data: None,
            force_restart: false,
            ignore_revision_skew: false,
            created_by_user_account_id: None,
            trigger: RevisionTrigger::User,
        })
    }

    /// Sets the id (to control tie-breaks).
    #[must_use]
    pub fn id(mut self, id: RevisionId) -> Self {
        self.0.id = id;
        self
    }

    /// Sets the creation time.
    #[must_use]
    pub fn created_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.created_at = at;
        self
    }

    /// Sets the values YAML.
    #[must_use]
    pub fn values_yaml(mut self, yaml: &str) -> Self {
        self.0.values_yaml = Some(yaml.to_owned());
        self
    }

    /// Sets the env file.
    #[must_use]
    pub fn env_file(mut self, env: &str) -> Self {
        self.0.env_file_data = Some(env.to_owned());
        self
    }

    /// Sets the author.
    #[must_use]
    pub fn created_by(mut self, user: UserAccountId) -> Self {
        self.0.created_by_user_account_id = Some(user);
        self
    }

    /// Sets the trigger.
    #[must_use]
    pub fn trigger(mut self, trigger: RevisionTrigger) -> Self {
        self.0.trigger = trigger;
        self
    }

    /// Sets `force_restart`.
    #[must_use]
    pub fn force_restart(mut self, force: bool) -> Self {
        self.0.force_restart = force;
        self
    }

    /// The revision.
    #[must_use]
    pub fn build(self) -> DeploymentRevision {
        self.0
    }
}
