use chrono::{DateTime, Utc};
use distr_domain::ids::{
    CustomerOrganizationId, DeploymentId, LogRecordId, MetricsSampleId, OrganizationId, RevisionId,
    SecretId, TargetId, UserAccountId,
};
use distr_domain::secret::{LastGoodPayload, Secret, SecretKey};
use distr_domain::telemetry::{DeploymentLogRecord, MetricsSample, TargetLogRecord};

use super::{fresh_uuid, now_micros};

/// Builds a vendor-level [`Secret`] holding the given ciphertext.
#[derive(Debug, Clone)]
pub struct SecretBuilder(Secret);

impl SecretBuilder {
    /// A secret `key` of `org` with `ciphertext` as its stored value.
    ///
    /// # Panics
    /// When `key` is not a valid secret key.
    #[must_use]
    pub fn new(org: OrganizationId, key: &str, ciphertext: &[u8]) -> Self {
        let now = now_micros();
        Self(Secret {
            id: SecretId::from_uuid(fresh_uuid()),
            organization_id: org,
            customer_organization_id: None,
            key: SecretKey::parse(key).expect("valid test secret key"),
            value_ciphertext: ciphertext.to_vec(),
            created_at: now,
            updated_at: now,
            updated_by_user_account_id: None,
        })
    }

    /// Scopes it to `customer`.
    #[must_use]
    pub fn customer(mut self, customer: CustomerOrganizationId) -> Self {
        self.0.customer_organization_id = Some(customer);
        self
    }

    /// Sets the author of the last change.
    #[must_use]
    pub fn updated_by(mut self, user: UserAccountId) -> Self {
        self.0.updated_by_user_account_id = Some(user);
        self
    }

    /// The secret.
    #[must_use]
    pub fn build(self) -> Secret {
        self.0
    }
}

/// A last-good payload of `deployment` built from `revision`, stored now.
#[must_use]
pub fn last_good_payload(
    deployment: DeploymentId,
    revision: RevisionId,
    ciphertext: &[u8],
) -> LastGoodPayload {
    LastGoodPayload {
        deployment_id: deployment,
        revision_id: revision,
        payload_ciphertext: ciphertext.to_vec(),
        updated_at: now_micros(),
    }
}

/// Builds a [`MetricsSample`] (2 cores, 1 GiB, half used).
#[derive(Debug, Clone)]
pub struct MetricsSampleBuilder(MetricsSample);

impl MetricsSampleBuilder {
    /// A sample of `target` received at `at`.
    #[must_use]
    pub fn new(target: TargetId, at: DateTime<Utc>) -> Self {
        Self(MetricsSample {
            id: MetricsSampleId::from_uuid(fresh_uuid()),
            deployment_target_id: target,
            created_at: at,
            cpu_cores_millis: 2000,
            cpu_usage: 0.5,
            memory_bytes: 1 << 30,
            memory_usage: 0.5,
        })
    }

    /// Sets the CPU usage fraction.
    #[must_use]
    pub fn cpu_usage(mut self, usage: f64) -> Self {
        self.0.cpu_usage = usage;
        self
    }

    /// The sample.
    #[must_use]
    pub fn build(self) -> MetricsSample {
        self.0
    }
}

/// Builds a workload [`DeploymentLogRecord`] (`INFO`, body `line`).
#[derive(Debug, Clone)]
pub struct DeploymentLogBuilder(DeploymentLogRecord);

impl DeploymentLogBuilder {
    /// A line of `resource` in `deployment` (revision `revision`) at `timestamp`.
    #[must_use]
    pub fn new(
        deployment: DeploymentId,
        revision: RevisionId,
        resource: &str,
        timestamp: DateTime<Utc>,
    ) -> Self {
        Self(DeploymentLogRecord {
            id: LogRecordId::from_uuid(fresh_uuid()),
            deployment_id: deployment,
            deployment_revision_id: revision,
            resource: resource.to_owned(),
            timestamp,
            severity: "INFO".to_owned(),
            body: "line".to_owned(),
        })
    }

    /// Sets the id (to control tie-breaks or provoke duplicates).
    #[must_use]
    pub fn id(mut self, id: LogRecordId) -> Self {
        self.0.id = id;
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: &str) -> Self {
        self.0.body = body.to_owned();
        self
    }

    /// The record.
    #[must_use]
    pub fn build(self) -> DeploymentLogRecord {
        self.0
    }
}

/// Builds an agent [`TargetLogRecord`] (`INFO`, body `line`, received now).
#[derive(Debug, Clone)]
pub struct TargetLogBuilder(TargetLogRecord);

impl TargetLogBuilder {
    /// A line of `target` at `timestamp`.
    #[must_use]
    pub fn new(target: TargetId, timestamp: DateTime<Utc>) -> Self {
        Self(TargetLogRecord {
            id: LogRecordId::from_uuid(fresh_uuid()),
            deployment_target_id: target,
            created_at: now_micros(),
            timestamp,
            severity: "INFO".to_owned(),
            body: "line".to_owned(),
        })
    }

    /// Sets the id (to control tie-breaks or provoke duplicates).
    #[must_use]
    pub fn id(mut self, id: LogRecordId) -> Self {
        self.0.id = id;
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: &str) -> Self {
        self.0.body = body.to_owned();
        self
    }

    /// The record.
    #[must_use]
    pub fn build(self) -> TargetLogRecord {
        self.0
    }
}
