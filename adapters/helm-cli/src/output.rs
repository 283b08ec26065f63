//! Parsing of helm's `-o json` outputs and error texts.

use serde::Deserialize;

/// The part of a release (`helm install|upgrade|status -o json`) the agent
/// reads. The rest (values, manifest, chart) is ignored and never logged.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReleaseStatus {
    /// Release name.
    pub name: String,
    /// The release revision.
    pub version: i64,
    /// Namespace.
    #[serde(default)]
    pub namespace: String,
    /// `info.status`: `deployed`, `failed`, `pending-upgrade`, ...
    #[serde(default)]
    pub info: ReleaseInfo,
}

/// `info` of a release.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ReleaseInfo {
    /// `deployed`, `failed`, `superseded`, ...
    #[serde(default)]
    pub status: String,
    /// Helm's description, e.g. `Install complete`.
    #[serde(default)]
    pub description: String,
}

/// One entry of `helm history -o json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HistoryEntry {
    /// The release revision.
    pub revision: i64,
    /// `deployed`, `failed`, `superseded`, ...
    #[serde(default)]
    pub status: String,
    /// `<chart>-<version>`.
    #[serde(default)]
    pub chart: String,
    /// e.g. `Rollback to 1`, `Upgrade "web" failed: ...`.
    #[serde(default)]
    pub description: String,
}

/// Parses `helm install|upgrade|status -o json`.
///
/// # Errors
/// A text naming what is wrong, without the (secret-bearing) output.
pub fn parse_status(stdout: &str) -> Result<ReleaseStatus, String> {
    serde_json::from_str(json_part(stdout))
        .map_err(|e| format!("unreadable helm release JSON: {e}"))
}

/// The latest revision in `helm history --max 1 -o json`, `None` for an
/// empty history.
///
/// # Errors
/// As [`parse_status`].
pub fn parse_latest_revision(stdout: &str) -> Result<Option<i64>, String> {
    let entries: Vec<HistoryEntry> = serde_json::from_str(json_part(stdout))
        .map_err(|e| format!("unreadable helm history JSON: {e}"))?;
    Ok(entries.iter().map(|e| e.revision).max())
}

/// Whether helm's error output says the release does not exist.
#[must_use]
pub fn is_release_not_found(output: &str) -> bool {
    output.contains("release: not found")
}

/// Helm prints warnings (e.g. about kubeconfig permissions) before the JSON
/// on some setups: start at the first `{` or `[` that begins a line.
fn json_part(stdout: &str) -> &str {
    let trimmed = stdout.trim_start();
    if trimmed.starts_with(['{', '[']) {
        return trimmed;
    }
    stdout
        .match_indices('\n')
        .map(|(at, _)| &stdout[at + 1..])
        .find(|rest| rest.starts_with(['{', '[']))
        .unwrap_or(stdout)
}

#[cfg(test)]
mod tests;
