use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::query_builder::InsertStatement;
use diesel_async::methods::ExecuteDsl;
use diesel_async::{AsyncConnectionCore, RunQueryDsl};
use distr_domain::ids::{AgentVersionId, CustomerOrganizationId, OrganizationId, TargetId};
use distr_domain::target::{
    AgentResources, DeploymentTarget, Heartbeat, TargetKind, TargetSecretHash,
};
use distr_ports::StoreError;
use distr_ports::store::{HeartbeatOutcome, TargetStore};

use crate::convert::{id, micros, name, opt_id, opt_micros, opt_text, parse, time};
use crate::error::{Fail, corrupt, not_found_if_none};
use crate::open::SqlStore;
use crate::schema::deployment_targets as t;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = t)]
pub(super) struct TargetRow {
    id: String,
    organization_id: String,
    customer_organization_id: Option<String>,
    created_at: i64,
    name: String,
    target_type: String,
    namespace: Option<String>,
    scope: Option<String>,
    metrics_enabled: bool,
    cpu_request: Option<String>,
    memory_request: Option<String>,
    cpu_limit: Option<String>,
    memory_limit: Option<String>,
    agent_version_id: String,
    reported_agent_version_id: Option<String>,
    secret_salt: Option<Vec<u8>>,
    secret_hash: Option<Vec<u8>>,
    last_seen_at: Option<i64>,
    heartbeat_message: Option<String>,
    heartbeat_message_since: Option<i64>,
    heartbeat_change_id: Option<String>,
}

impl From<&DeploymentTarget> for TargetRow {
    fn from(target: &DeploymentTarget) -> Self {
        let (namespace, scope) = match &target.kind {
            TargetKind::Docker => (None, None),
            TargetKind::Kubernetes { namespace, scope } => {
                (Some(namespace.clone()), Some(scope.as_str().to_owned()))
            }
        };
        let resources = target.resources.clone();
        let heartbeat = target.heartbeat.as_ref();
        Self {
            id: target.id.to_string(),
            organization_id: target.organization_id.to_string(),
            customer_organization_id: opt_text(target.customer_organization_id),
            created_at: micros(target.created_at),
            name: target.name.as_str().to_owned(),
            target_type: target.kind.platform().as_str().to_owned(),
            namespace,
            scope,
            metrics_enabled: target.metrics_enabled,
            cpu_request: resources.as_ref().map(|r| r.cpu_request.clone()),
            memory_request: resources.as_ref().map(|r| r.memory_request.clone()),
            cpu_limit: resources.as_ref().map(|r| r.cpu_limit.clone()),
            memory_limit: resources.map(|r| r.memory_limit),
            agent_version_id: target.agent_version_id.to_string(),
            reported_agent_version_id: opt_text(target.reported_agent_version_id),
            secret_salt: target.secret.as_ref().map(|s| s.salt.clone()),
            secret_hash: target.secret.as_ref().map(|s| s.hash.clone()),
            last_seen_at: opt_micros(heartbeat.map(|h| h.last_seen_at)),
            heartbeat_message: heartbeat.map(|h| h.message.clone()),
            heartbeat_message_since: opt_micros(heartbeat.map(|h| h.message_since)),
            heartbeat_change_id: opt_text(heartbeat.map(|h| h.change_id)),
        }
    }
}

impl TryFrom<TargetRow> for DeploymentTarget {
    type Error = Fail;
    fn try_from(row: TargetRow) -> Result<Self, Fail> {
        let kind = match (row.target_type.as_str(), row.namespace, row.scope) {
            ("docker", _, _) => TargetKind::Docker,
            ("kubernetes", Some(namespace), Some(scope)) => TargetKind::Kubernetes {
                namespace,
                scope: parse("scope", &scope)?,
            },
            (other, _, _) => return Err(corrupt(format!("invalid target type {other:?}"))),
        };
        let resources = match (
            row.cpu_request,
            row.memory_request,
            row.cpu_limit,
            row.memory_limit,
        ) {
            (Some(cpu_request), Some(memory_request), Some(cpu_limit), Some(memory_limit)) => {
                Some(AgentResources {
                    cpu_request,
                    memory_request,
                    cpu_limit,
                    memory_limit,
                })
            }
            _ => None,
        };
        let secret = match (row.secret_salt, row.secret_hash) {
            (Some(salt), Some(hash)) => Some(TargetSecretHash { salt, hash }),
            _ => None,
        };
        let heartbeat = match (
            row.last_seen_at,
            row.heartbeat_message,
            row.heartbeat_message_since,
            row.heartbeat_change_id,
        ) {
            (Some(last_seen_at), Some(message), Some(since), Some(change_id)) => Some(Heartbeat {
                last_seen_at: time(last_seen_at)?,
                message,
                message_since: time(since)?,
                change_id: id(&change_id)?,
            }),
            _ => None,
        };
        Ok(Self {
            id: id(&row.id)?,
            organization_id: id(&row.organization_id)?,
            customer_organization_id: opt_id(row.customer_organization_id.as_deref())?,
            created_at: time(row.created_at)?,
            name: name(&row.name)?,
            kind,
            metrics_enabled: row.metrics_enabled,
            resources,
            agent_version_id: id(&row.agent_version_id)?,
            reported_agent_version_id: opt_id(row.reported_agent_version_id.as_deref())?,
            secret,
            heartbeat,
        })
    }
}

/// The `INSERT` of one target row.
type InsertTarget<'a> = InsertStatement<t::table, <&'a TargetRow as Insertable<t::table>>::Values>;

/// Inserts a target row on `conn`, of either backend, inside whatever
/// transaction the caller holds (`create_target` and
/// `create_target_with_deployment` share it).
pub(super) async fn insert_target<'a, C>(conn: &mut C, row: &'a TargetRow) -> Result<(), Fail>
where
    C: AsyncConnectionCore + Send,
    InsertTarget<'a>: ExecuteDsl<C>,
{
    diesel::insert_into(t::table)
        .values(row)
        .execute(conn)
        .await?;
    Ok(())
}

#[async_trait]
impl TargetStore for SqlStore {
    async fn create_target(&self, target: &DeploymentTarget) -> Result<(), StoreError> {
        let row = TargetRow::from(target);
        with_write!(self, |conn| { insert_target(conn, &row).await })
    }

    async fn get_target(
        &self,
        org: OrganizationId,
        target: TargetId,
    ) -> Result<DeploymentTarget, StoreError> {
        let (org, target) = (org.to_string(), target.to_string());
        with_conn!(self, |conn| {
            let row: TargetRow = t::table
                .find(&target)
                .filter(t::organization_id.eq(&org))
                .select(TargetRow::as_select())
                .first(conn)
                .await?;
            row.try_into()
        })
    }

    async fn find_target(&self, target: TargetId) -> Result<Option<DeploymentTarget>, StoreError> {
        let target = target.to_string();
        with_conn!(self, |conn| {
            let row: Option<TargetRow> = t::table
                .find(&target)
                .select(TargetRow::as_select())
                .first(conn)
                .await
                .optional()?;
            row.map(TryInto::try_into).transpose()
        })
    }

    async fn list_targets(
        &self,
        org: OrganizationId,
        customer: Option<CustomerOrganizationId>,
    ) -> Result<Vec<DeploymentTarget>, StoreError> {
        let (org, customer) = (org.to_string(), opt_text(customer));
        with_conn!(self, |conn| {
            let mut query = t::table
                .filter(t::organization_id.eq(&org))
                .select(TargetRow::as_select())
                .into_boxed();
            if let Some(customer) = &customer {
                query = query.filter(t::customer_organization_id.eq(customer));
            }
            // Vendor-owned first on both backends (NULL ordering differs between them).
            let rows: Vec<TargetRow> = query
                .order((
                    t::customer_organization_id.is_not_null().asc(),
                    t::customer_organization_id.asc(),
                    t::name.asc(),
                    t::id.asc(),
                ))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn update_target(&self, target: &DeploymentTarget) -> Result<(), StoreError> {
        let row = TargetRow::from(target);
        with_write!(self, |conn| {
            let updated = diesel::update(
                t::table
                    .find(&row.id)
                    .filter(t::organization_id.eq(&row.organization_id)),
            )
            .set((
                t::name.eq(&row.name),
                t::metrics_enabled.eq(row.metrics_enabled),
                t::cpu_request.eq(&row.cpu_request),
                t::memory_request.eq(&row.memory_request),
                t::cpu_limit.eq(&row.cpu_limit),
                t::memory_limit.eq(&row.memory_limit),
                t::agent_version_id.eq(&row.agent_version_id),
            ))
            .execute(conn)
            .await?;
            not_found_if_none(updated)
        })
    }

    async fn delete_target(&self, org: OrganizationId, target: TargetId) -> Result<(), StoreError> {
        let (org, target) = (org.to_string(), target.to_string());
        with_write!(self, |conn| {
            // Heartbeat history, metrics, logs, deployments and everything
            // below them go through ON DELETE CASCADE.
            let deleted =
                diesel::delete(t::table.find(&target).filter(t::organization_id.eq(&org)))
                    .execute(conn)
                    .await?;
            not_found_if_none(deleted)
        })
    }

    async fn set_target_secret(
        &self,
        target: TargetId,
        secret: &TargetSecretHash,
    ) -> Result<(), StoreError> {
        let target = target.to_string();
        let (salt, hash) = (secret.salt.clone(), secret.hash.clone());
        with_write!(self, |conn| {
            let updated = diesel::update(t::table.find(&target))
                .set((
                    t::secret_salt.eq(Some(&salt)),
                    t::secret_hash.eq(Some(&hash)),
                ))
                .execute(conn)
                .await?;
            not_found_if_none(updated)
        })
    }

    async fn record_heartbeat(
        &self,
        target: TargetId,
        at: DateTime<Utc>,
        message: &str,
    ) -> Result<HeartbeatOutcome, StoreError> {
        super::heartbeat::record(self, target, at, message).await
    }

    async fn set_reported_agent_version(
        &self,
        target: TargetId,
        version: AgentVersionId,
    ) -> Result<(), StoreError> {
        let (target, version) = (target.to_string(), version.to_string());
        with_write!(self, |conn| {
            diesel::update(t::table.find(&target))
                .set(t::reported_agent_version_id.eq(Some(&version)))
                .execute(conn)
                .await?;
            Ok(())
        })
    }
}
