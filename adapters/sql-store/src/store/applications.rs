use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use distr_domain::application::{Application, ApplicationVersion, PlatformType, VersionContent};
use distr_domain::ids::{ApplicationId, ApplicationVersionId, OrganizationId};
use distr_ports::StoreError;
use distr_ports::store::ApplicationStore;

use crate::convert::{id, micros, name, opt_micros, opt_time, parse, time};
use crate::error::{Fail, corrupt, not_found_if_none};
use crate::open::SqlStore;
use crate::schema::{application_versions, applications, deployment_revisions, deployments};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = applications)]
struct ApplicationRow {
    id: String,
    organization_id: String,
    created_at: i64,
    name: String,
    app_type: String,
}

impl TryFrom<ApplicationRow> for Application {
    type Error = Fail;
    fn try_from(row: ApplicationRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            organization_id: id(&row.organization_id)?,
            created_at: time(row.created_at)?,
            name: name(&row.name)?,
            app_type: parse("application type", &row.app_type)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = application_versions)]
struct VersionRow {
    id: String,
    application_id: String,
    created_at: i64,
    name: String,
    archived_at: Option<i64>,
    platform: String,
    compose_file: Option<String>,
    template_file: Option<String>,
    chart_type: Option<String>,
    chart_url: Option<String>,
    chart_name: Option<String>,
    chart_version: Option<String>,
    values_file: Option<String>,
}

impl From<&ApplicationVersion> for VersionRow {
    fn from(version: &ApplicationVersion) -> Self {
        let mut row = Self {
            id: version.id.to_string(),
            application_id: version.application_id.to_string(),
            created_at: micros(version.created_at),
            name: version.name.as_str().to_owned(),
            archived_at: opt_micros(version.archived_at),
            platform: version.content.platform().as_str().to_owned(),
            compose_file: None,
            template_file: None,
            chart_type: None,
            chart_url: None,
            chart_name: None,
            chart_version: None,
            values_file: None,
        };
        match &version.content {
            VersionContent::Docker {
                compose_file,
                template_file,
            } => {
                row.compose_file = Some(compose_file.clone());
                row.template_file.clone_from(template_file);
            }
            VersionContent::Kubernetes {
                chart_type,
                chart_url,
                chart_name,
                chart_version,
                values_file,
                template_file,
            } => {
                row.chart_type = Some(chart_type.as_str().to_owned());
                row.chart_url = Some(chart_url.clone());
                row.chart_name.clone_from(chart_name);
                row.chart_version = Some(chart_version.clone());
                row.values_file.clone_from(values_file);
                row.template_file.clone_from(template_file);
            }
        }
        row
    }
}

fn required(value: Option<String>, field: &str) -> Result<String, Fail> {
    value.ok_or_else(|| corrupt(format!("version without {field}")))
}

impl TryFrom<VersionRow> for ApplicationVersion {
    type Error = Fail;
    fn try_from(row: VersionRow) -> Result<Self, Fail> {
        let content = match parse::<PlatformType>("platform", &row.platform)? {
            PlatformType::Docker => VersionContent::Docker {
                compose_file: required(row.compose_file, "compose file")?,
                template_file: row.template_file,
            },
            PlatformType::Kubernetes => VersionContent::Kubernetes {
                chart_type: parse("chart type", &required(row.chart_type, "chart type")?)?,
                chart_url: required(row.chart_url, "chart url")?,
                chart_name: row.chart_name,
                chart_version: required(row.chart_version, "chart version")?,
                values_file: row.values_file,
                template_file: row.template_file,
            },
        };
        Ok(Self {
            id: id(&row.id)?,
            application_id: id(&row.application_id)?,
            created_at: time(row.created_at)?,
            name: name(&row.name)?,
            archived_at: opt_time(row.archived_at)?,
            content,
        })
    }
}

fn versions_of(rows: Vec<VersionRow>) -> Result<Vec<ApplicationVersion>, Fail> {
    rows.into_iter().map(TryInto::try_into).collect()
}

#[async_trait]
impl ApplicationStore for SqlStore {
    async fn create_application(&self, app: &Application) -> Result<(), StoreError> {
        let row = ApplicationRow {
            id: app.id.to_string(),
            organization_id: app.organization_id.to_string(),
            created_at: micros(app.created_at),
            name: app.name.as_str().to_owned(),
            app_type: app.app_type.as_str().to_owned(),
        };
        with_write!(self, |conn| {
            diesel::insert_into(applications::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn get_application(
        &self,
        org: OrganizationId,
        app: ApplicationId,
    ) -> Result<Application, StoreError> {
        let (org, app) = (org.to_string(), app.to_string());
        with_conn!(self, |conn| {
            let row: ApplicationRow = applications::table
                .find(&app)
                .filter(applications::organization_id.eq(&org))
                .select(ApplicationRow::as_select())
                .first(conn)
                .await?;
            row.try_into()
        })
    }

    async fn list_applications(&self, org: OrganizationId) -> Result<Vec<Application>, StoreError> {
        let org = org.to_string();
        with_conn!(self, |conn| {
            let rows: Vec<ApplicationRow> = applications::table
                .filter(applications::organization_id.eq(&org))
                .select(ApplicationRow::as_select())
                .order((applications::name.asc(), applications::id.asc()))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn create_version(&self, version: &ApplicationVersion) -> Result<(), StoreError> {
        let row = VersionRow::from(version);
        with_write!(self, |conn| {
            // A missing application is a foreign-key violation, reported as NotFound.
            diesel::insert_into(application_versions::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn get_version(
        &self,
        org: OrganizationId,
        version: ApplicationVersionId,
    ) -> Result<ApplicationVersion, StoreError> {
        let (org, version) = (org.to_string(), version.to_string());
        with_conn!(self, |conn| {
            let row: VersionRow = application_versions::table
                .inner_join(applications::table)
                .filter(application_versions::id.eq(&version))
                .filter(applications::organization_id.eq(&org))
                .select(VersionRow::as_select())
                .first(conn)
                .await?;
            row.try_into()
        })
    }

    async fn get_versions(
        &self,
        ids: &[ApplicationVersionId],
    ) -> Result<Vec<ApplicationVersion>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
        with_conn!(self, |conn| {
            let rows = application_versions::table
                .filter(application_versions::id.eq_any(&keys))
                .select(VersionRow::as_select())
                .order((
                    application_versions::created_at.asc(),
                    application_versions::id.asc(),
                ))
                .load(conn)
                .await?;
            versions_of(rows)
        })
    }

    async fn list_versions(
        &self,
        app: ApplicationId,
    ) -> Result<Vec<ApplicationVersion>, StoreError> {
        let app = app.to_string();
        with_conn!(self, |conn| {
            let rows = application_versions::table
                .filter(application_versions::application_id.eq(&app))
                .select(VersionRow::as_select())
                .order((
                    application_versions::created_at.asc(),
                    application_versions::id.asc(),
                ))
                .load(conn)
                .await?;
            versions_of(rows)
        })
    }

    async fn update_application(&self, app: &Application) -> Result<(), StoreError> {
        let (key, org) = (app.id.to_string(), app.organization_id.to_string());
        let name = app.name.as_str().to_owned();
        with_write!(self, |conn| {
            let updated = diesel::update(
                applications::table
                    .find(&key)
                    .filter(applications::organization_id.eq(&org)),
            )
            .set(applications::name.eq(&name))
            .execute(conn)
            .await?;
            not_found_if_none(updated)
        })
    }

    async fn delete_application(
        &self,
        org: OrganizationId,
        app: ApplicationId,
    ) -> Result<(), StoreError> {
        let (org, app) = (org.to_string(), app.to_string());
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                let known: i64 = applications::table
                    .find(&app)
                    .filter(applications::organization_id.eq(&org))
                    .count()
                    .get_result(conn)
                    .await?;
                if known == 0 {
                    return Err(Fail(StoreError::NotFound));
                }
                let versions = application_versions::table
                    .filter(application_versions::application_id.eq(&app))
                    .select(application_versions::id);
                let revisions: i64 = deployment_revisions::table
                    .filter(deployment_revisions::application_version_id.eq_any(versions))
                    .count()
                    .get_result(conn)
                    .await?;
                let deployed: i64 = deployments::table
                    .filter(deployments::application_id.eq(&app))
                    .count()
                    .get_result(conn)
                    .await?;
                if revisions + deployed > 0 {
                    return Err(Fail(StoreError::InUse("application".to_owned())));
                }
                // Versions go through ON DELETE CASCADE.
                diesel::delete(applications::table.find(&app))
                    .execute(conn)
                    .await?;
                Ok(())
            })
            .await
        })
    }

    async fn update_version(
        &self,
        org: OrganizationId,
        version: &ApplicationVersion,
    ) -> Result<(), StoreError> {
        let (org, key) = (org.to_string(), version.id.to_string());
        let name = version.name.as_str().to_owned();
        let archived_at = opt_micros(version.archived_at);
        with_write!(self, |conn| {
            let apps = applications::table
                .filter(applications::organization_id.eq(&org))
                .select(applications::id);
            let updated = diesel::update(
                application_versions::table
                    .find(&key)
                    .filter(application_versions::application_id.eq_any(apps)),
            )
            .set((
                application_versions::name.eq(&name),
                application_versions::archived_at.eq(archived_at),
            ))
            .execute(conn)
            .await?;
            not_found_if_none(updated)
        })
    }

    async fn delete_version(
        &self,
        org: OrganizationId,
        version: ApplicationVersionId,
    ) -> Result<(), StoreError> {
        let (org, key) = (org.to_string(), version.to_string());
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                let apps = applications::table
                    .filter(applications::organization_id.eq(&org))
                    .select(applications::id);
                let known: i64 = application_versions::table
                    .find(&key)
                    .filter(application_versions::application_id.eq_any(apps))
                    .count()
                    .get_result(conn)
                    .await?;
                if known == 0 {
                    return Err(Fail(StoreError::NotFound));
                }
                let revisions: i64 = deployment_revisions::table
                    .filter(deployment_revisions::application_version_id.eq(&key))
                    .count()
                    .get_result(conn)
                    .await?;
                if revisions > 0 {
                    return Err(Fail(StoreError::InUse("application version".to_owned())));
                }
                diesel::delete(application_versions::table.find(&key))
                    .execute(conn)
                    .await?;
                Ok(())
            })
            .await
        })
    }
}
