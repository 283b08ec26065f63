//! The status texts of the Helm agent (AP §8.2), shared with Distr 2.7.

/// Posted as `progressing` every interval while Helm runs.
pub const HELM_PROGRESS_MESSAGE: &str = "helm operation in progress";

/// Posted as `running` after a successful install.
pub const INSTALL_SUCCEEDED: &str = "helm install succeeded";

/// Posted as `running` after a successful upgrade.
pub const UPGRADE_SUCCEEDED: &str = "helm upgrade succeeded";

/// `error` after a failed install.
#[must_use]
pub fn install_error(err: &str) -> String {
    format!("install error: {err}")
}

/// `error` after a failed upgrade.
#[must_use]
pub fn upgrade_error(err: &str) -> String {
    format!("upgrade error: {err}")
}

/// `running` after an upgrade with a successful force restart.
#[must_use]
pub fn force_restart_succeeded() -> String {
    format!("{UPGRADE_SUCCEEDED}; force restart succeeded")
}

/// `error` after an upgrade whose force restart failed (followed by a
/// `running` [`UPGRADE_SUCCEEDED`]).
#[must_use]
pub fn force_restart_failed(err: &str) -> String {
    format!("{UPGRADE_SUCCEEDED}; force restart error: {err}")
}

/// `error` when the latest revision cannot be looked up.
#[must_use]
pub fn lookup_error(err: &str) -> String {
    format!("could not get latest helm revision: {err}")
}

/// `error` when the release manifest is unavailable.
#[must_use]
pub fn manifest_error(err: &str) -> String {
    format!("could not get helm manifest: {err}")
}

/// `error` for the first resource that fails its check (AP §8.5).
#[must_use]
pub fn resource_error(detail: &str) -> String {
    format!("resource status error: {detail}")
}

/// `healthy` when every one of `count` resources passed.
#[must_use]
pub fn healthy_message(count: usize) -> String {
    format!("status check passed. {count} resources healthy")
}
