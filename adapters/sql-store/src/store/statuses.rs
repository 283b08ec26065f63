use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use distr_domain::deployment::{StatusRecord, StatusType};
use distr_domain::ids::{DeploymentId, RevisionId, StatusId};
use distr_ports::StoreError;
use distr_ports::store::{PageRequest, StatusStore};

use super::paging::newest_first_page;
use crate::convert::{id, micros, time};
use crate::dialect::Dialect;
use crate::error::{Fail, corrupt};
use crate::open::SqlStore;
use crate::schema::{
    deployment_revision_statuses as s, deployment_revisions as r, deployments as d,
};

#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = s)]
struct StatusRow {
    id: String,
    deployment_revision_id: String,
    status_type: String,
    message: String,
    first_reported_at: i64,
    last_reported_at: i64,
}

impl TryFrom<StatusRow> for StatusRecord {
    type Error = Fail;
    fn try_from(row: StatusRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            deployment_revision_id: id(&row.deployment_revision_id)?,
            status_type: StatusType::parse_reported(&row.status_type).map_err(corrupt)?,
            message: row.message,
            first_reported_at: time(row.first_reported_at)?,
            last_reported_at: time(row.last_reported_at)?,
        })
    }
}

#[async_trait]
impl StatusStore for SqlStore {
    async fn record_status(
        &self,
        status: StatusId,
        revision: RevisionId,
        status_type: StatusType,
        message: &str,
        at: DateTime<Utc>,
    ) -> Result<StatusRecord, StoreError> {
        let fresh = StatusRow {
            id: status.to_string(),
            deployment_revision_id: revision.to_string(),
            status_type: status_type.as_str().to_owned(),
            message: message.to_owned(),
            first_reported_at: micros(at),
            last_reported_at: micros(at),
        };
        let row = with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                let revision_exists = conn.lock_revision(&fresh.deployment_revision_id).await?;
                if !revision_exists {
                    return Err(StoreError::NotFound.into());
                }
                let newest: Option<StatusRow> = s::table
                    .filter(s::deployment_revision_id.eq(&fresh.deployment_revision_id))
                    .select(StatusRow::as_select())
                    .order((s::last_reported_at.desc(), s::id.desc()))
                    .first(conn)
                    .await
                    .optional()?;
                match newest {
                    Some(mut same)
                        if same.status_type == fresh.status_type
                            && same.message == fresh.message =>
                    {
                        diesel::update(s::table.find(&same.id))
                            .set(s::last_reported_at.eq(fresh.last_reported_at))
                            .execute(conn)
                            .await?;
                        same.last_reported_at = fresh.last_reported_at;
                        Ok(same)
                    }
                    _ => {
                        diesel::insert_into(s::table)
                            .values(&fresh)
                            .execute(conn)
                            .await?;
                        Ok(fresh.clone())
                    }
                }
            })
            .await
        })?;
        Ok(StatusRecord::try_from(row)?)
    }

    async fn latest_statuses(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<(DeploymentId, StatusRecord)>, StoreError> {
        if deployments.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = deployments.iter().map(ToString::to_string).collect();
        with_conn!(self, |conn| {
            // Per deployment: the newest revision that has any record, then
            // that revision's newest record; two correlated subqueries, one
            // round trip.
            let rev = diesel::alias!(crate::schema::deployment_revisions as rev);
            let st = diesel::alias!(crate::schema::deployment_revision_statuses as st);
            let reported = diesel::alias!(crate::schema::deployment_revision_statuses as reported);
            let chosen = diesel::alias!(crate::schema::deployment_revisions as chosen);
            let newest_reported_revision = rev
                .select(rev.field(r::id))
                .filter(rev.field(r::deployment_id).eq(d::id))
                .filter(diesel::dsl::exists(
                    reported.filter(
                        reported
                            .field(s::deployment_revision_id)
                            .eq(rev.field(r::id)),
                    ),
                ))
                .order((rev.field(r::created_at).desc(), rev.field(r::id).desc()))
                .limit(1)
                .single_value();
            let revisions = d::table
                .filter(d::id.eq_any(&keys))
                .select(newest_reported_revision);
            let newest_status = st
                .select(st.field(s::id))
                .filter(st.field(s::deployment_revision_id).eq(chosen.field(r::id)))
                .order((st.field(s::last_reported_at).desc(), st.field(s::id).desc()))
                .limit(1)
                .single_value();
            let status_ids = chosen
                .filter(chosen.field(r::id).nullable().eq_any(revisions))
                .select(newest_status);
            let rows: Vec<(String, StatusRow)> = s::table
                .inner_join(r::table)
                .filter(s::id.nullable().eq_any(status_ids))
                .select((r::deployment_id, StatusRow::as_select()))
                .order((r::deployment_id.asc(), s::id.asc()))
                .load(conn)
                .await?;
            rows.into_iter()
                .map(|(deployment, row)| Ok((id(&deployment)?, row.try_into()?)))
                .collect()
        })
    }

    async fn list_statuses(
        &self,
        deployment: DeploymentId,
        page: PageRequest,
    ) -> Result<Vec<StatusRecord>, StoreError> {
        let key = deployment.to_string();
        with_conn!(self, |conn| {
            let query = s::table
                .inner_join(r::table)
                .filter(r::deployment_id.eq(&key))
                .select(StatusRow::as_select())
                .into_boxed();
            let rows: Vec<StatusRow> = newest_first_page!(query, s::last_reported_at, s::id, page)
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }
}
