//! Helm values: YAML parsing to JSON and the values merge (AP §5.4).

use serde_json::{Map, Value};

mod yaml;

pub(crate) use yaml::parse_yaml_value;

/// Values YAML that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValuesError {
    /// The text is not valid YAML (the message has a position, never document text).
    #[error("invalid values YAML: {0}")]
    Parse(String),
    /// The document root is not a mapping.
    #[error("values YAML must be a mapping")]
    NotAMapping,
}

/// Parses values YAML into a JSON object by the YAML 1.2 core schema.
///
/// An empty, blank, comment-only or `null` document is `{}`. Non-string keys
/// and custom tags become strings.
///
/// # Errors
/// `Parse` for invalid YAML, `NotAMapping` for any other root.
pub fn parse_values(yaml: &str) -> Result<Map<String, Value>, ValuesError> {
    match parse_yaml_value(yaml).map_err(ValuesError::Parse)? {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(ValuesError::NotAMapping),
    }
}

/// A values merge conflict at a dotted key path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error merging values files: merge error at {path}: {reason}")]
pub struct MergeError {
    /// Dotted path of the conflicting key (`a.b`).
    pub path: String,
    /// `can not merge map into non-map type` or `can not merge non-map type into map`.
    pub reason: &'static str,
}

const MAP_INTO_NON_MAP: &str = "can not merge map into non-map type";
const NON_MAP_INTO_MAP: &str = "can not merge non-map type into map";

/// Merges `overrides` onto a copy of `base` by AP §5.4: mappings merge
/// recursively, a mapping fills an absent or `null` base, lists and scalars
/// replace, and a mapping never meets a non-mapping.
///
/// # Errors
/// `MergeError` naming the first conflicting path (keys visited in sorted order).
pub fn merge_values(
    base: &Map<String, Value>,
    overrides: &Map<String, Value>,
) -> Result<Map<String, Value>, MergeError> {
    let mut result = base.clone();
    merge_into(&mut result, overrides, &mut Vec::new())?;
    Ok(result)
}

fn merge_into<'a>(
    target: &mut Map<String, Value>,
    overrides: &'a Map<String, Value>,
    path: &mut Vec<&'a str>,
) -> Result<(), MergeError> {
    let mut keys: Vec<&String> = overrides.keys().collect();
    keys.sort_unstable();
    for key in keys {
        let Some(value) = overrides.get(key) else {
            continue;
        };
        path.push(key);
        match (target.get_mut(key.as_str()), value) {
            (Some(Value::Object(existing)), Value::Object(nested)) => {
                merge_into(existing, nested, path)?
            }
            (None | Some(Value::Null), Value::Object(_)) => {
                target.insert(key.clone(), value.clone());
            }
            (Some(_), Value::Object(_)) => return Err(conflict(path, MAP_INTO_NON_MAP)),
            (Some(Value::Object(_)), _) => return Err(conflict(path, NON_MAP_INTO_MAP)),
            (_, _) => {
                target.insert(key.clone(), value.clone());
            }
        }
        path.pop();
    }
    Ok(())
}

fn conflict(path: &[&str], reason: &'static str) -> MergeError {
    MergeError {
        path: path.join("."),
        reason,
    }
}

#[cfg(test)]
mod tests;
