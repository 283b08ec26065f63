use async_trait::async_trait;
use diesel::prelude::*;
use diesel::query_builder::InsertStatement;
use diesel_async::methods::ExecuteDsl;
use diesel_async::{AsyncConnection, AsyncConnectionCore, RunQueryDsl};
use distr_domain::deployment::{Deployment, DeploymentRevision};
use distr_domain::ids::{DeploymentId, RevisionId, TargetId};
use distr_domain::target::DeploymentTarget;
use distr_ports::StoreError;
use distr_ports::store::DeploymentStore;

use super::targets::{TargetRow, insert_target};
use crate::convert::{id, micros, opt_id, opt_text, parse, time};
use crate::error::{Fail, not_found_if_none};
use crate::open::SqlStore;
use crate::schema::{deployment_revisions as r, deployments as d};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = d)]
struct DeploymentRow {
    id: String,
    deployment_target_id: String,
    application_id: String,
    created_at: i64,
    docker_type: Option<String>,
    release_name: Option<String>,
    logs_enabled: bool,
}

impl From<&Deployment> for DeploymentRow {
    fn from(deployment: &Deployment) -> Self {
        Self {
            id: deployment.id.to_string(),
            deployment_target_id: deployment.deployment_target_id.to_string(),
            application_id: deployment.application_id.to_string(),
            created_at: micros(deployment.created_at),
            docker_type: deployment.docker_type.map(|t| t.as_str().to_owned()),
            release_name: deployment.release_name.clone(),
            logs_enabled: deployment.logs_enabled,
        }
    }
}

impl TryFrom<DeploymentRow> for Deployment {
    type Error = Fail;
    fn try_from(row: DeploymentRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            deployment_target_id: id(&row.deployment_target_id)?,
            application_id: id(&row.application_id)?,
            created_at: time(row.created_at)?,
            docker_type: row
                .docker_type
                .map(|v| parse("docker type", &v))
                .transpose()?,
            release_name: row.release_name,
            logs_enabled: row.logs_enabled,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = r)]
pub(super) struct RevisionRow {
    id: String,
    deployment_id: String,
    created_at: i64,
    application_version_id: String,
    values_yaml: Option<String>,
    env_file_data: Option<String>,
    force_restart: bool,
    ignore_revision_skew: bool,
    created_by_user_account_id: Option<String>,
    trigger: String,
}

impl From<&DeploymentRevision> for RevisionRow {
    fn from(revision: &DeploymentRevision) -> Self {
        Self {
            id: revision.id.to_string(),
            deployment_id: revision.deployment_id.to_string(),
            created_at: micros(revision.created_at),
            application_version_id: revision.application_version_id.to_string(),
            values_yaml: revision.values_yaml.clone(),
            env_file_data: revision.env_file_data.clone(),
            force_restart: revision.force_restart,
            ignore_revision_skew: revision.ignore_revision_skew,
            created_by_user_account_id: opt_text(revision.created_by_user_account_id),
            trigger: revision.trigger.as_str().to_owned(),
        }
    }
}

impl TryFrom<RevisionRow> for DeploymentRevision {
    type Error = Fail;
    fn try_from(row: RevisionRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            deployment_id: id(&row.deployment_id)?,
            created_at: time(row.created_at)?,
            application_version_id: id(&row.application_version_id)?,
            values_yaml: row.values_yaml,
            env_file_data: row.env_file_data,
            force_restart: row.force_restart,
            ignore_revision_skew: row.ignore_revision_skew,
            created_by_user_account_id: opt_id(row.created_by_user_account_id.as_deref())?,
            trigger: parse("trigger", &row.trigger)?,
        })
    }
}

fn revisions_of(rows: Vec<RevisionRow>) -> Result<Vec<DeploymentRevision>, Fail> {
    rows.into_iter().map(TryInto::try_into).collect()
}

/// The `INSERT`s of one deployment row and of one revision row.
type InsertDeployment<'a> =
    InsertStatement<d::table, <&'a DeploymentRow as Insertable<d::table>>::Values>;
type InsertRevision<'a> =
    InsertStatement<r::table, <&'a RevisionRow as Insertable<r::table>>::Values>;

/// Inserts a deployment and its first revision on `conn`, of either backend,
/// inside the caller's transaction (`create_deployment` and
/// `create_target_with_deployment` share it).
async fn insert_deployment<'a, C>(
    conn: &mut C,
    row: &'a DeploymentRow,
    revision: &'a RevisionRow,
) -> Result<(), Fail>
where
    C: AsyncConnectionCore + Send,
    InsertDeployment<'a>: ExecuteDsl<C>,
    InsertRevision<'a>: ExecuteDsl<C>,
{
    diesel::insert_into(d::table)
        .values(row)
        .execute(conn)
        .await?;
    diesel::insert_into(r::table)
        .values(revision)
        .execute(conn)
        .await?;
    Ok(())
}

#[async_trait]
impl DeploymentStore for SqlStore {
    async fn create_deployment(
        &self,
        deployment: &Deployment,
        revision: &DeploymentRevision,
    ) -> Result<(), StoreError> {
        let (row, revision) = (DeploymentRow::from(deployment), RevisionRow::from(revision));
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                insert_deployment(conn, &row, &revision).await
            })
            .await
        })
    }

    async fn create_target_with_deployment(
        &self,
        target: &DeploymentTarget,
        deployment: &Deployment,
        revision: &DeploymentRevision,
    ) -> Result<(), StoreError> {
        let target = TargetRow::from(target);
        let (row, revision) = (DeploymentRow::from(deployment), RevisionRow::from(revision));
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                insert_target(conn, &target).await?;
                insert_deployment(conn, &row, &revision).await
            })
            .await
        })
    }

    async fn add_revision(&self, revision: &DeploymentRevision) -> Result<(), StoreError> {
        let row = RevisionRow::from(revision);
        with_write!(self, |conn| {
            diesel::insert_into(r::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn find_deployment(
        &self,
        deployment: DeploymentId,
    ) -> Result<Option<Deployment>, StoreError> {
        let key = deployment.to_string();
        with_conn!(self, |conn| {
            let row: Option<DeploymentRow> = d::table
                .find(&key)
                .select(DeploymentRow::as_select())
                .first(conn)
                .await
                .optional()?;
            row.map(TryInto::try_into).transpose()
        })
    }

    async fn list_deployments_of_targets(
        &self,
        targets: &[TargetId],
    ) -> Result<Vec<Deployment>, StoreError> {
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = targets.iter().map(ToString::to_string).collect();
        with_conn!(self, |conn| {
            let rows: Vec<DeploymentRow> = d::table
                .filter(d::deployment_target_id.eq_any(&keys))
                .select(DeploymentRow::as_select())
                .order((d::created_at.asc(), d::id.asc()))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn set_logs_enabled(
        &self,
        deployment: DeploymentId,
        enabled: bool,
    ) -> Result<(), StoreError> {
        let key = deployment.to_string();
        with_write!(self, |conn| {
            let updated = diesel::update(d::table.find(&key))
                .set(d::logs_enabled.eq(enabled))
                .execute(conn)
                .await?;
            not_found_if_none(updated)
        })
    }

    async fn delete_deployment(&self, deployment: DeploymentId) -> Result<(), StoreError> {
        let key = deployment.to_string();
        with_write!(self, |conn| {
            // Revisions, statuses, logs and the last-good payload cascade.
            let deleted = diesel::delete(d::table.find(&key)).execute(conn).await?;
            not_found_if_none(deleted)
        })
    }

    async fn current_revisions(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<DeploymentRevision>, StoreError> {
        if deployments.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = deployments.iter().map(ToString::to_string).collect();
        with_conn!(self, |conn| {
            // One query: per deployment, a correlated subquery picks the id
            // of the newest revision through the (deployment, created_at, id) index.
            let newer = diesel::alias!(crate::schema::deployment_revisions as newest);
            let newest_id = newer
                .select(newer.field(r::id))
                .filter(newer.field(r::deployment_id).eq(d::id))
                .order((newer.field(r::created_at).desc(), newer.field(r::id).desc()))
                .limit(1)
                .single_value();
            let current_ids = d::table.filter(d::id.eq_any(&keys)).select(newest_id);
            let rows = r::table
                .filter(r::id.nullable().eq_any(current_ids))
                .select(RevisionRow::as_select())
                .order((r::created_at.asc(), r::id.asc()))
                .load(conn)
                .await?;
            revisions_of(rows)
        })
    }

    async fn find_revision(
        &self,
        revision: RevisionId,
    ) -> Result<Option<DeploymentRevision>, StoreError> {
        let key = revision.to_string();
        with_conn!(self, |conn| {
            let row: Option<RevisionRow> = r::table
                .find(&key)
                .select(RevisionRow::as_select())
                .first(conn)
                .await
                .optional()?;
            row.map(TryInto::try_into).transpose()
        })
    }

    async fn list_revisions(
        &self,
        deployment: DeploymentId,
    ) -> Result<Vec<DeploymentRevision>, StoreError> {
        let key = deployment.to_string();
        with_conn!(self, |conn| {
            let rows = r::table
                .filter(r::deployment_id.eq(&key))
                .select(RevisionRow::as_select())
                .order((r::created_at.desc(), r::id.desc()))
                .load(conn)
                .await?;
            revisions_of(rows)
        })
    }
}
