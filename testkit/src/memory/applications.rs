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
}
