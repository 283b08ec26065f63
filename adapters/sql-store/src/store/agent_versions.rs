use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use distr_domain::ids::AgentVersionId;
use distr_domain::target::AgentVersion;
use distr_ports::StoreError;
use distr_ports::store::AgentVersionStore;

use crate::convert::{id, micros, time};
use crate::error::Fail;
use crate::open::SqlStore;
use crate::schema::agent_versions;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = agent_versions)]
struct AgentVersionRow {
    id: String,
    created_at: i64,
    name: String,
    docker_image_repository: Option<String>,
    kubernetes_image_repository: Option<String>,
}

impl TryFrom<AgentVersionRow> for AgentVersion {
    type Error = Fail;
    fn try_from(row: AgentVersionRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            created_at: time(row.created_at)?,
            name: row.name,
            docker_image_repository: row.docker_image_repository,
            kubernetes_image_repository: row.kubernetes_image_repository,
        })
    }
}

#[async_trait]
impl AgentVersionStore for SqlStore {
    async fn upsert_agent_version(
        &self,
        version: &AgentVersion,
    ) -> Result<AgentVersion, StoreError> {
        let row = AgentVersionRow {
            id: version.id.to_string(),
            created_at: micros(version.created_at),
            name: version.name.clone(),
            docker_image_repository: version.docker_image_repository.clone(),
            kubernetes_image_repository: version.kubernetes_image_repository.clone(),
        };
        with_write!(self, |conn| {
            // Concurrent starts of several replicas race here; the loser's
            // insert is a no-op and it reads the winner's row.
            diesel::insert_into(agent_versions::table)
                .values(&row)
                .on_conflict(agent_versions::name)
                .do_nothing()
                .execute(conn)
                .await?;
            let stored: AgentVersionRow = agent_versions::table
                .filter(agent_versions::name.eq(&row.name))
                .select(AgentVersionRow::as_select())
                .first(conn)
                .await?;
            stored.try_into()
        })
    }

    async fn get_agent_version(&self, version: AgentVersionId) -> Result<AgentVersion, StoreError> {
        let key = version.to_string();
        with_conn!(self, |conn| {
            let row: AgentVersionRow = agent_versions::table
                .find(&key)
                .select(AgentVersionRow::as_select())
                .first(conn)
                .await?;
            row.try_into()
        })
    }

    async fn find_agent_version_by_name(
        &self,
        version_name: &str,
    ) -> Result<Option<AgentVersion>, StoreError> {
        with_conn!(self, |conn| {
            let row: Option<AgentVersionRow> = agent_versions::table
                .filter(agent_versions::name.eq(version_name))
                .select(AgentVersionRow::as_select())
                .first(conn)
                .await
                .optional()?;
            row.map(TryInto::try_into).transpose()
        })
    }

    async fn list_agent_versions(&self) -> Result<Vec<AgentVersion>, StoreError> {
        with_conn!(self, |conn| {
            let rows: Vec<AgentVersionRow> = agent_versions::table
                .select(AgentVersionRow::as_select())
                .order((agent_versions::created_at.asc(), agent_versions::id.asc()))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }
}
