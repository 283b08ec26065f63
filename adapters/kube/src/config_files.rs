//! Reads the configuration directories of AP §8.1 into a map of variables;
//! `distr_domain::agent::{config_dirs, overlay_lookup, reload_agent_env}`
//! decide what the values mean.

use std::collections::BTreeMap;
use std::path::PathBuf;

use distr_domain::agent::{config_dirs, is_config_entry};

/// A configuration directory or file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read agent configuration {path}: {source}")]
pub struct ConfigFilesError {
    /// The directory or file.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

/// Every entry of the directories listed in `dirs_value` (the value of
/// `DISTR_AGENT_CONFIG_DIRS`) whose name does not start with `..`, following
/// symlinks, as variable name → raw contents. Later directories win; entries
/// that are directories after following links are skipped. Contents that
/// are not UTF-8 are read lossily.
///
/// # Errors
/// When a listed directory or one of its files cannot be read; the caller
/// then keeps its current configuration.
pub fn read_config_files(dirs_value: &str) -> Result<BTreeMap<String, String>, ConfigFilesError> {
    let mut vars = BTreeMap::new();
    for dir in config_dirs(dirs_value) {
        let failed = |path: PathBuf| move |source| ConfigFilesError { path, source };
        let entries = std::fs::read_dir(dir).map_err(failed(dir.into()))?;
        for entry in entries {
            let entry = entry.map_err(failed(dir.into()))?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if !is_config_entry(&name) {
                continue;
            }
            let path = entry.path();
            if std::fs::metadata(&path)
                .map_err(failed(path.clone()))?
                .is_dir()
            {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(failed(path.clone()))?;
            vars.insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    /// Lays a directory out like a mounted ConfigMap: the files live in a
    /// timestamped directory, `..data` links to it, each key links through it.
    fn configmap_mount(root: &std::path::Path, pairs: &[(&str, &str)]) {
        let stamped = root.join("..2026_11_26_21_00_00.000000001");
        std::fs::create_dir(&stamped).unwrap();
        for (key, value) in pairs {
            std::fs::write(stamped.join(key), value).unwrap();
        }
        symlink(&stamped, root.join("..data")).unwrap();
        for (key, _) in pairs {
            symlink(format!("..data/{key}"), root.join(key)).unwrap();
        }
    }

    #[test]
    fn mounted_configmap_and_secret_entries_are_read_through_their_links() {
        let env = tempfile::tempdir().unwrap();
        let auth = tempfile::tempdir().unwrap();
        configmap_mount(
            env.path(),
            &[("DISTR_TARGET_ID", "t-1"), ("DISTR_INTERVAL", "5s")],
        );
        configmap_mount(auth.path(), &[("DISTR_TARGET_SECRET", "s3cret\n")]);
        std::fs::create_dir(env.path().join("subdir")).unwrap();
        let dirs = format!("{}\n\n{}\n", env.path().display(), auth.path().display());
        let vars = read_config_files(&dirs).unwrap();
        assert_eq!(
            vars,
            BTreeMap::from([
                ("DISTR_INTERVAL".to_owned(), "5s".to_owned()),
                ("DISTR_TARGET_ID".to_owned(), "t-1".to_owned()),
                ("DISTR_TARGET_SECRET".to_owned(), "s3cret\n".to_owned()),
            ])
        );
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let err = read_config_files("/nonexistent/distr-config-dir").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot read agent configuration /nonexistent/distr-config-dir:"),
            "{err}"
        );
        assert!(read_config_files("").unwrap().is_empty());
    }
}
