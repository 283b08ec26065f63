//! The docker agent's state files (AP §7.2).

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use distr_domain::agent::DockerRecord;
use distr_domain::ids::DeploymentId;
use distr_ports::agent::{DockerStateStore, StateError};
use tokio::sync::Mutex;

use crate::fs_util::{ensure_private_dir, write_atomic};

/// `<scratch>/deployments/<deployment id>` JSON files in Distr 2.7's format.
///
/// One instance is shared by the main loop and the log collector; its mutex
/// serializes every access, as AP §7.2 requires.
#[derive(Debug)]
pub struct FileStateStore {
    dir: PathBuf,
    lock: Mutex<()>,
}

impl FileStateStore {
    /// The store under `<scratch_dir>/deployments` (created on first write).
    #[must_use]
    pub fn new(scratch_dir: &Path) -> Self {
        Self {
            dir: scratch_dir.join("deployments"),
            lock: Mutex::new(()),
        }
    }

    /// The directory holding the records.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, id: DeploymentId) -> PathBuf {
        self.dir.join(id.to_string())
    }
}

fn io_error(what: &str, path: &Path, error: &std::io::Error) -> StateError {
    StateError::Io(format!("{what} {}: {error}", path.display()))
}

#[async_trait]
impl DockerStateStore for FileStateStore {
    async fn list(&self) -> Result<Vec<DockerRecord>, StateError> {
        let _guard = self.lock.lock().await;
        let mut entries = match tokio::fs::read_dir(&self.dir).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error("cannot read", &self.dir, &e)),
        };
        let mut records = Vec::new();
        while let Some(entry) = entries
            .next_entry()
            .await
            .map_err(|e| io_error("cannot read", &self.dir, &e))?
        {
            let path = entry.path();
            let name = entry.file_name();
            // Our own temp files start with a dot; upstream never writes any.
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let file_type = entry
                .file_type()
                .await
                .map_err(|e| io_error("cannot stat", &path, &e))?;
            if file_type.is_dir() {
                continue;
            }
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|e| io_error("cannot read", &path, &e))?;
            let record = serde_json::from_slice::<DockerRecord>(&bytes).map_err(|e| {
                StateError::Corrupt {
                    file: path.display().to_string(),
                    detail: e.to_string(),
                }
            })?;
            records.push(record);
        }
        records.sort_by_key(|r| r.id.to_string());
        Ok(records)
    }

    async fn put(&self, record: &DockerRecord) -> Result<(), StateError> {
        let _guard = self.lock.lock().await;
        ensure_private_dir(&self.dir)
            .await
            .map_err(|e| io_error("cannot create", &self.dir, &e))?;
        let bytes = serde_json::to_vec(record).map_err(|e| StateError::Io(e.to_string()))?;
        let path = self.file(record.id);
        write_atomic(&path, &bytes)
            .await
            .map_err(|e| io_error("cannot write", &path, &e))
    }

    async fn delete(&self, id: DeploymentId) -> Result<(), StateError> {
        let _guard = self.lock.lock().await;
        let path = self.file(id);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("cannot delete", &path, &e)),
        }
    }
}

#[cfg(test)]
mod tests;
