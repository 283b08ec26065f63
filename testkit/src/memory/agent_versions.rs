use async_trait::async_trait;
use distr_domain::ids::AgentVersionId;
use distr_domain::target::AgentVersion;
use distr_ports::StoreError;
use distr_ports::store::AgentVersionStore;

use super::{MemoryStore, conflict};

#[async_trait]
impl AgentVersionStore for MemoryStore {
    async fn upsert_agent_version(
        &self,
        version: &AgentVersion,
    ) -> Result<AgentVersion, StoreError> {
        self.write(|s| {
            if let Some(existing) = s.agent_versions.values().find(|v| v.name == version.name) {
                return Ok(existing.clone());
            }
            if s.agent_versions.contains_key(&version.id) {
                return Err(conflict("agent version id"));
            }
            s.agent_versions.insert(version.id, version.clone());
            Ok(version.clone())
        })
    }

    async fn get_agent_version(&self, id: AgentVersionId) -> Result<AgentVersion, StoreError> {
        self.read(|s| {
            s.agent_versions
                .get(&id)
                .cloned()
                .ok_or(StoreError::NotFound)
        })
    }

    async fn find_agent_version_by_name(
        &self,
        name: &str,
    ) -> Result<Option<AgentVersion>, StoreError> {
        self.read(|s| Ok(s.agent_versions.values().find(|v| v.name == name).cloned()))
    }

    async fn list_agent_versions(&self) -> Result<Vec<AgentVersion>, StoreError> {
        self.read(|s| {
            let mut rows: Vec<AgentVersion> = s.agent_versions.values().cloned().collect();
            rows.sort_by_key(|v| (v.created_at, v.id));
            Ok(rows)
        })
    }
}
