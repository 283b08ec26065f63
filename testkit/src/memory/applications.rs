use async_trait::async_trait;
use distr_domain::application::{Application, ApplicationVersion};
use distr_domain::ids::{ApplicationId, ApplicationVersionId, OrganizationId};
use distr_ports::StoreError;
use distr_ports::store::ApplicationStore;

use super::{MemoryStore, conflict};

#[async_trait]
impl ApplicationStore for MemoryStore {
    async fn create_application(&self, app: &Application) -> Result<(), StoreError> {
        self.write(|s| {
            if s.applications.contains_key(&app.id) {
                return Err(conflict("application id"));
            }
            s.applications.insert(app.id, app.clone());
            Ok(())
        })
    }

    async fn get_application(
        &self,
        org: OrganizationId,
        id: ApplicationId,
    ) -> Result<Application, StoreError> {
        self.read(|s| {
            s.applications
                .get(&id)
                .filter(|a| a.organization_id == org)
                .cloned()
                .ok_or(StoreError::NotFound)
        })
    }

    async fn list_applications(&self, org: OrganizationId) -> Result<Vec<Application>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<Application> = s
                .applications
                .values()
                .filter(|a| a.organization_id == org)
                .cloned()
                .collect();
            rows.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
            Ok(rows)
        })
    }

    async fn create_version(&self, version: &ApplicationVersion) -> Result<(), StoreError> {
        self.write(|s| {
            if !s.applications.contains_key(&version.application_id) {
                return Err(StoreError::NotFound);
            }
            if s.versions.contains_key(&version.id) {
                return Err(conflict("version id"));
            }
            let taken = s
                .versions
                .values()
                .any(|v| v.application_id == version.application_id && v.name == version.name);
            if taken {
                return Err(conflict("version name"));
            }
            s.versions.insert(version.id, version.clone());
            Ok(())
        })
    }

    async fn get_version(
        &self,
        org: OrganizationId,
        id: ApplicationVersionId,
    ) -> Result<ApplicationVersion, StoreError> {
        self.read(|s| {
            s.versions
                .get(&id)
                .filter(|v| {
                    s.applications
                        .get(&v.application_id)
                        .is_some_and(|a| a.organization_id == org)
                })
                .cloned()
                .ok_or(StoreError::NotFound)
        })
    }

    async fn get_versions(
        &self,
        ids: &[ApplicationVersionId],
    ) -> Result<Vec<ApplicationVersion>, StoreError> {
        self.read(|s| {
            let mut seen = std::collections::BTreeSet::new();
            Ok(ids
                .iter()
                .filter(|id| seen.insert(**id))
                .filter_map(|id| s.versions.get(id).cloned())
                .collect())
        })
    }

    async fn list_versions(
        &self,
        app: ApplicationId,
    ) -> Result<Vec<ApplicationVersion>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<ApplicationVersion> = s
                .versions
                .values()
                .filter(|v| v.application_id == app)
                .cloned()
                .collect();
            rows.sort_by_key(|v| (v.created_at, v.id));
            Ok(rows)
        })
    }

    async fn update_application(&self, app: &Application) -> Result<(), StoreError> {
        self.write(|s| {
            let stored = s
                .applications
                .get_mut(&app.id)
                .filter(|a| a.organization_id == app.organization_id)
                .ok_or(StoreError::NotFound)?;
            stored.name = app.name.clone();
            Ok(())
        })
    }

    async fn delete_application(
        &self,
        org: OrganizationId,
        id: ApplicationId,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            if s.applications
                .get(&id)
                .is_none_or(|a| a.organization_id != org)
            {
                return Err(StoreError::NotFound);
            }
            let versions: Vec<ApplicationVersionId> = s
                .versions
                .values()
                .filter(|v| v.application_id == id)
                .map(|v| v.id)
                .collect();
            let in_use = s.deployments.values().any(|d| d.application_id == id)
                || s.revisions
                    .values()
                    .any(|r| versions.contains(&r.application_version_id));
            if in_use {
                return Err(StoreError::InUse("application".to_owned()));
            }
            for version in &versions {
                s.versions.remove(version);
            }
            s.applications.remove(&id);
            Ok(())
        })
    }

    async fn update_version(
        &self,
        org: OrganizationId,
        version: &ApplicationVersion,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            let app = s
                .versions
                .get(&version.id)
                .map(|v| v.application_id)
                .filter(|app| {
                    s.applications
                        .get(app)
                        .is_some_and(|a| a.organization_id == org)
                })
                .ok_or(StoreError::NotFound)?;
            let taken = s
                .versions
                .values()
                .any(|v| v.application_id == app && v.id != version.id && v.name == version.name);
            if taken {
                return Err(conflict("version name"));
            }
            if let Some(stored) = s.versions.get_mut(&version.id) {
                stored.name = version.name.clone();
                stored.archived_at = version.archived_at;
            }
            Ok(())
        })
    }

    async fn delete_version(
        &self,
        org: OrganizationId,
        id: ApplicationVersionId,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            let visible = s.versions.get(&id).is_some_and(|v| {
                s.applications
                    .get(&v.application_id)
                    .is_some_and(|a| a.organization_id == org)
            });
            if !visible {
                return Err(StoreError::NotFound);
            }
            if s.revisions.values().any(|r| r.application_version_id == id) {
                return Err(StoreError::InUse("application version".to_owned()));
            }
            s.versions.remove(&id);
            Ok(())
        })
    }
}
