//! Response shapes of the user API (HS §3.6). Absent optionals are omitted.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, SecondsFormat, Utc};
use distr_domain::application::{Application, ApplicationVersion, VersionContent};
use distr_domain::deployment::{Deployment, DeploymentRevision, StatusRecord};
use distr_domain::ids::{
    AgentVersionId, ApplicationId, ApplicationVersionId, CustomerOrganizationId, DeploymentId,
    HeartbeatChangeId, RevisionId, StatusId, TargetId,
};
use distr_domain::target::{AgentResources, AgentVersion, DeploymentTarget};
use serde::{Serialize, Serializer};

/// RFC 3339 with microseconds and `Z` (HS §2.1).
pub fn ts<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Micros, true))
}

/// [`ts`] for optional times.
#[expect(clippy::ref_option, reason = "serde's serialize_with passes &Option")]
pub fn opt_ts<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => ts(t, s),
        None => s.serialize_none(),
    }
}

/// Padded standard base64 of a stored text file.
pub fn b64(text: &str) -> String {
    STANDARD.encode(text.as_bytes())
}

/// An application version without its files.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    pub(crate) id: ApplicationVersionId,
    pub(crate) application_id: ApplicationId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) name: String,
    #[serde(serialize_with = "opt_ts", skip_serializing_if = "Option::is_none")]
    pub(crate) archived_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) chart_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) chart_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) chart_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) chart_version: Option<String>,
}

impl From<&ApplicationVersion> for VersionView {
    fn from(v: &ApplicationVersion) -> Self {
        let (chart_type, chart_url, chart_name, chart_version) = match &v.content {
            VersionContent::Docker { .. } => (None, None, None, None),
            VersionContent::Kubernetes {
                chart_type,
                chart_url,
                chart_name,
                chart_version,
                ..
            } => (
                Some(chart_type.as_str()),
                Some(chart_url.clone()),
                chart_name.clone(),
                Some(chart_version.clone()),
            ),
        };
        Self {
            id: v.id,
            application_id: v.application_id,
            created_at: v.created_at,
            name: v.name.as_str().to_owned(),
            archived_at: v.archived_at,
            chart_type,
            chart_url,
            chart_name,
            chart_version,
        }
    }
}

/// An application with its versions, oldest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationView {
    pub(crate) id: ApplicationId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) app_type: &'static str,
    pub(crate) versions: Vec<VersionView>,
}

impl ApplicationView {
    /// Builds the view; `versions` must be oldest first.
    pub fn new(app: &Application, versions: &[ApplicationVersion]) -> Self {
        Self {
            id: app.id,
            created_at: app.created_at,
            name: app.name.as_str().to_owned(),
            app_type: app.app_type.as_str(),
            versions: versions.iter().map(VersionView::from).collect(),
        }
    }
}

/// A status record (AP §9.2): `createdAt` is `lastReportedAt`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
    pub(crate) id: StatusId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    #[serde(serialize_with = "ts")]
    pub(crate) first_reported_at: DateTime<Utc>,
    pub(crate) deployment_revision_id: RevisionId,
    #[serde(rename = "type")]
    pub(crate) status_type: &'static str,
    pub(crate) message: String,
}

impl StatusView {
    /// Builds the view with an already redacted message.
    pub fn new(record: &StatusRecord, message: String) -> Self {
        Self {
            id: record.id,
            created_at: record.last_reported_at,
            first_reported_at: record.first_reported_at,
            deployment_revision_id: record.deployment_revision_id,
            status_type: record.status_type.as_str(),
            message,
        }
    }
}

/// Everything a deployment view is computed from.
#[derive(Debug)]
pub struct DeploymentParts<'a> {
    /// The deployment.
    pub deployment: &'a Deployment,
    /// Its current revision.
    pub revision: &'a DeploymentRevision,
    /// The application's name.
    pub application_name: &'a str,
    /// The current revision's version name.
    pub version_name: &'a str,
    /// The latest status, message already redacted.
    pub latest: Option<StatusView>,
    /// `health` (HS §2.4).
    pub health: &'static str,
    /// `revisionPending` (HS §2.4).
    pub revision_pending: bool,
    /// `updateAvailable` (HS §3.6).
    pub update_available: bool,
}

/// A deployment with its current revision and health (HS §3.6).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentView {
    pub(crate) id: DeploymentId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) deployment_target_id: TargetId,
    pub(crate) application_id: ApplicationId,
    pub(crate) application_name: String,
    pub(crate) application_version_id: ApplicationVersionId,
    pub(crate) application_version_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) release_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) docker_type: Option<&'static str>,
    pub(crate) logs_enabled: bool,
    pub(crate) deployment_revision_id: RevisionId,
    #[serde(serialize_with = "ts")]
    pub(crate) deployment_revision_created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) values_yaml: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) env_file_data: Option<String>,
    pub(crate) force_restart: bool,
    pub(crate) ignore_revision_skew: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) latest_status: Option<StatusView>,
    pub(crate) health: &'static str,
    pub(crate) revision_pending: bool,
    pub(crate) update_available: bool,
}

impl DeploymentView {
    /// The deployment's id.
    pub const fn id(&self) -> DeploymentId {
        self.id
    }

    /// Builds the view.
    pub fn new(p: DeploymentParts<'_>) -> Self {
        Self {
            id: p.deployment.id,
            created_at: p.deployment.created_at,
            deployment_target_id: p.deployment.deployment_target_id,
            application_id: p.deployment.application_id,
            application_name: p.application_name.to_owned(),
            application_version_id: p.revision.application_version_id,
            application_version_name: p.version_name.to_owned(),
            release_name: p.deployment.release_name.clone(),
            docker_type: p.deployment.docker_type.map(|t| t.as_str()),
            logs_enabled: p.deployment.logs_enabled,
            deployment_revision_id: p.revision.id,
            deployment_revision_created_at: p.revision.created_at,
            values_yaml: p.revision.values_yaml.as_deref().map(b64),
            env_file_data: p.revision.env_file_data.as_deref().map(b64),
            force_restart: p.revision.force_restart,
            ignore_revision_skew: p.revision.ignore_revision_skew,
            latest_status: p.latest,
            health: p.health,
            revision_pending: p.revision_pending,
            update_available: p.update_available,
        }
    }
}

/// `{id, name}` of the owning customer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CustomerRef {
    /// Id.
    pub id: CustomerOrganizationId,
    /// Name.
    pub name: String,
}

/// `{id, name, createdAt}` of the desired agent version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentVersionRef {
    pub(crate) id: AgentVersionId,
    pub(crate) name: String,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
}

impl From<&AgentVersion> for AgentVersionRef {
    fn from(v: &AgentVersion) -> Self {
        Self {
            id: v.id,
            name: v.name.clone(),
            created_at: v.created_at,
        }
    }
}

/// `currentStatus` of a target: its heartbeat.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrentStatus {
    pub(crate) id: HeartbeatChangeId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) message: String,
}

/// A deployment target (HS §3.6).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TargetView {
    pub(crate) id: TargetId,
    #[serde(serialize_with = "ts")]
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) target_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scope: Option<&'static str>,
    pub(crate) metrics_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::openapi::AgentResources>)]
    pub(crate) resources: Option<AgentResources>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) customer_organization: Option<CustomerRef>,
    pub(crate) agent_version: AgentVersionRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reported_agent_version_id: Option<AgentVersionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reported_agent_version_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) current_status: Option<CurrentStatus>,
    pub(crate) connection_state: &'static str,
    pub(crate) agent_update_pending: bool,
    pub(crate) deployments: Vec<DeploymentView>,
}

/// Everything a target view is computed from.
#[derive(Debug)]
pub struct TargetParts<'a> {
    /// The target.
    pub target: &'a DeploymentTarget,
    /// Its owner, when customer-owned.
    pub customer: Option<CustomerRef>,
    /// The desired agent version.
    pub agent_version: &'a AgentVersion,
    /// The reported agent version's name.
    pub reported_name: Option<String>,
    /// `connectionState`.
    pub connection_state: &'static str,
    /// Its deployments' views.
    pub deployments: Vec<DeploymentView>,
}

impl TargetView {
    /// Builds the view.
    pub fn new(p: TargetParts<'_>) -> Self {
        let t = p.target;
        let (namespace, scope) = match &t.kind {
            distr_domain::target::TargetKind::Docker => (None, None),
            distr_domain::target::TargetKind::Kubernetes { namespace, scope } => {
                (Some(namespace.clone()), Some(scope.as_str()))
            }
        };
        Self {
            id: t.id,
            created_at: t.created_at,
            name: t.name.as_str().to_owned(),
            target_type: t.kind.platform().as_str(),
            namespace,
            scope,
            metrics_enabled: t.metrics_enabled,
            resources: t.resources.clone(),
            customer_organization: p.customer,
            agent_version: AgentVersionRef::from(p.agent_version),
            reported_agent_version_id: t.reported_agent_version_id,
            reported_agent_version_name: p.reported_name,
            current_status: t.heartbeat.as_ref().map(|h| CurrentStatus {
                id: h.change_id,
                created_at: h.last_seen_at,
                message: h.message.clone(),
            }),
            connection_state: p.connection_state,
            agent_update_pending: t.heartbeat.is_some()
                && t.reported_agent_version_id != Some(t.agent_version_id),
            deployments: p.deployments,
        }
    }
}
