//! The values the agent hands to Helm (AP §8.4 "Values").

use serde_json::{Map, Value};

use crate::agent::pull_secret_name;

/// `values` (an absent or `null` value means `{}`) with the release's pull
/// Secret appended to every `imagePullSecrets` or `pullSecrets` list found
/// by walking mappings (lists are not searched). No key is added.
#[must_use]
pub fn with_pull_secret(values: Option<&Value>, release_name: &str) -> Value {
    let entry = Value::Object(Map::from_iter([(
        "name".to_owned(),
        Value::String(pull_secret_name(release_name)),
    )]));
    match values {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(values) => {
            let mut values = values.clone();
            append_in_mappings(&mut values, &entry);
            values
        }
    }
}

fn append_in_mappings(value: &mut Value, entry: &Value) {
    let Value::Object(map) = value else {
        return;
    };
    for (key, child) in map.iter_mut() {
        match child {
            Value::Array(list) if key == "imagePullSecrets" || key == "pullSecrets" => {
                list.push(entry.clone());
            }
            Value::Object(_) => append_in_mappings(child, entry),
            _ => {}
        }
    }
}
