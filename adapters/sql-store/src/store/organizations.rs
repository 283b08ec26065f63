use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use distr_domain::ids::OrganizationId;
use distr_domain::organization::Organization;
use distr_ports::StoreError;
use distr_ports::store::OrganizationStore;

use crate::convert::{id, micros, name, time};
use crate::error::{Fail, not_found_if_none};
use crate::open::SqlStore;
use crate::schema::organizations;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = organizations)]
struct OrganizationRow {
    id: String,
    created_at: i64,
    name: String,
    slug: Option<String>,
    pre_connect_script: Option<String>,
    post_connect_script: Option<String>,
    connect_script_is_sudo: bool,
    pre_post_scripts_enabled: bool,
}

impl From<&Organization> for OrganizationRow {
    fn from(org: &Organization) -> Self {
        Self {
            id: org.id.to_string(),
            created_at: micros(org.created_at),
            name: org.name.as_str().to_owned(),
            slug: org.slug.clone(),
            pre_connect_script: org.pre_connect_script.clone(),
            post_connect_script: org.post_connect_script.clone(),
            connect_script_is_sudo: org.connect_script_is_sudo,
            pre_post_scripts_enabled: org.pre_post_scripts_enabled,
        }
    }
}

impl TryFrom<OrganizationRow> for Organization {
    type Error = Fail;
    fn try_from(row: OrganizationRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            created_at: time(row.created_at)?,
            name: name(&row.name)?,
            slug: row.slug,
            pre_connect_script: row.pre_connect_script,
            post_connect_script: row.post_connect_script,
            connect_script_is_sudo: row.connect_script_is_sudo,
            pre_post_scripts_enabled: row.pre_post_scripts_enabled,
        })
    }
}

#[async_trait]
impl OrganizationStore for SqlStore {
    async fn create_organization(&self, org: &Organization) -> Result<(), StoreError> {
        let row = OrganizationRow::from(org);
        with_write!(self, |conn| {
            diesel::insert_into(organizations::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn get_organization(&self, org_id: OrganizationId) -> Result<Organization, StoreError> {
        let key = org_id.to_string();
        with_conn!(self, |conn| {
            let row: OrganizationRow = organizations::table
                .find(&key)
                .select(OrganizationRow::as_select())
                .first(conn)
                .await?;
            row.try_into()
        })
    }

    async fn update_organization(&self, org: &Organization) -> Result<(), StoreError> {
        let row = OrganizationRow::from(org);
        with_write!(self, |conn| {
            let updated = diesel::update(organizations::table.find(&row.id))
                .set((
                    organizations::name.eq(&row.name),
                    organizations::slug.eq(&row.slug),
                    organizations::pre_connect_script.eq(&row.pre_connect_script),
                    organizations::post_connect_script.eq(&row.post_connect_script),
                    organizations::connect_script_is_sudo.eq(row.connect_script_is_sudo),
                    organizations::pre_post_scripts_enabled.eq(row.pre_post_scripts_enabled),
                ))
                .execute(conn)
                .await?;
            not_found_if_none(updated)
        })
    }

    async fn count_organizations(&self) -> Result<u64, StoreError> {
        with_conn!(self, |conn| {
            let count: i64 = organizations::table.count().get_result(conn).await?;
            Ok(u64::try_from(count).unwrap_or_default())
        })
    }
}
