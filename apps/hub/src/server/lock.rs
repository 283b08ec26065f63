//! The exclusive lock file beside a SQLite database: SQLite is single-replica,
//! so a second `serve` on the same file exits with a clear error (HS §6.1).

use std::fs::File;
use std::path::{Path, PathBuf};

/// A held lock; released when dropped (and by the OS when the process dies).
#[derive(Debug)]
pub struct DbLock {
    _file: File,
    path: PathBuf,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it.
    #[error(
        "another distr-hub serve is already using this SQLite database (lock file {0}); \
         SQLite supports a single replica"
    )]
    Held(PathBuf),
    /// The lock file could not be created.
    #[error("cannot create lock file {path}: {reason}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The OS error.
        reason: String,
    },
}

impl DbLock {
    /// The lock file of a database: `<db>.lock`.
    #[must_use]
    pub fn path_for(db: &Path) -> PathBuf {
        let mut name = db
            .file_name()
            .map(std::ffi::OsStr::to_os_string)
            .unwrap_or_default();
        name.push(".lock");
        db.with_file_name(name)
    }

    /// Takes the lock without waiting.
    ///
    /// # Errors
    /// `Held` when another process has it.
    pub fn acquire(db: &Path) -> Result<Self, LockError> {
        let path = Self::path_for(db);
        let io = |e: std::io::Error| LockError::Io {
            path: path.clone(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match fs4::fs_std::FileExt::try_lock_exclusive(&file) {
            Ok(true) => Ok(Self { _file: file, path }),
            Ok(false) => Err(LockError::Held(path)),
            Err(e) => Err(io(e)),
        }
    }

    /// The lock file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_on_the_same_database_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("distr.db");
        let first = DbLock::acquire(&db).unwrap();
        assert_eq!(first.path(), dir.path().join("distr.db.lock"));
        assert!(matches!(DbLock::acquire(&db), Err(LockError::Held(_))));
        drop(first);
        DbLock::acquire(&db).unwrap();
    }
}
