//! The compose file sent to docker agents (AP §5.4, HS §2.2, AP §7.4).
//!
//! The Hub only sets the top-level `name` (the Compose project name). It edits
//! the text in place when it can prove the edit means the same to Compose
//! (by re-parsing the result); otherwise it re-encodes the document, which
//! loses comments and expands anchors but keeps the meaning.

use serde_json::{Map, Value};

use crate::ids::DeploymentId;
use crate::values::parse_yaml_value;

mod quote;
mod text;

pub use quote::quote_yaml_scalar;

/// A compose file the Hub cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// The document root is not a mapping.
    #[error("compose file must be a YAML mapping")]
    NotAMapping,
    /// The text is not valid YAML (or could not be re-encoded).
    #[error("invalid compose YAML: {0}")]
    Parse(String),
    /// There is no non-empty `services` mapping.
    #[error("compose file must have a non-empty services mapping")]
    MissingServices,
}

const NAME_KEY: &str = "name";

/// The Compose project name of a deployment: `distr-` and the first 8
/// characters (the first hex group) of its id.
#[must_use]
pub fn project_name(deployment: DeploymentId) -> String {
    let id = deployment.to_string();
    format!("distr-{}", id.get(..8).unwrap_or(&id))
}

/// Sets (adds or replaces) the top-level `name` key to `project_name`.
///
/// # Errors
/// `Parse` for invalid YAML, `NotAMapping` when the root is not a mapping
/// (an empty document counts as an empty mapping).
pub fn rewrite_compose(yaml: &str, project_name: &str) -> Result<String, ComposeError> {
    let mut expected = parse_root(yaml)?;
    expected.insert(NAME_KEY.to_owned(), Value::String(project_name.to_owned()));
    let line = format!("{NAME_KEY}: {}", quote_yaml_scalar(project_name));
    if let Some(edited) = text::replace_top_level_key(yaml, NAME_KEY, Some(&line))
        && parse_root(&edited).is_ok_and(|root| root == expected)
    {
        return Ok(edited);
    }
    reencode(&expected)
}

/// Checks HS §2.2: a mapping root with a non-empty `services` mapping.
///
/// # Errors
/// `Parse`, `NotAMapping` or `MissingServices`.
pub fn validate_compose(yaml: &str) -> Result<(), ComposeError> {
    match parse_root(yaml)?.get("services") {
        Some(Value::Object(services)) if !services.is_empty() => Ok(()),
        _ => Err(ComposeError::MissingServices),
    }
}

/// Removes the top-level `name` key (Swarm stacks take their name from the
/// command line, AP §7.4). A file without one is returned unchanged.
///
/// # Errors
/// `Parse` for invalid YAML, `NotAMapping` when the root is not a mapping.
pub fn strip_compose_name(yaml: &str) -> Result<String, ComposeError> {
    let mut expected = parse_root(yaml)?;
    if expected.remove(NAME_KEY).is_none() {
        return Ok(yaml.to_owned());
    }
    if let Some(edited) = text::replace_top_level_key(yaml, NAME_KEY, None)
        && parse_root(&edited).is_ok_and(|root| root == expected)
    {
        return Ok(edited);
    }
    reencode(&expected)
}

fn parse_root(yaml: &str) -> Result<Map<String, Value>, ComposeError> {
    match parse_yaml_value(yaml).map_err(ComposeError::Parse)? {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(ComposeError::NotAMapping),
    }
}

/// Serializes `root` as YAML and checks that it reads back identically.
fn reencode(root: &Map<String, Value>) -> Result<String, ComposeError> {
    let failed = || ComposeError::Parse("the compose file could not be re-encoded".to_owned());
    let text = serde_saphyr::to_string(&Value::Object(root.clone())).map_err(|_| failed())?;
    match parse_root(&text) {
        Ok(reparsed) if &reparsed == root => Ok(text),
        _ => Err(failed()),
    }
}

#[cfg(test)]
mod tests;
