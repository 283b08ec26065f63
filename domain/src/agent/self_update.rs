//! The self-update manifest (AP §7.10).
//!
//! The Hub's manifest has `DISTR_TARGET_SECRET: ''`; the agent puts its own
//! secret there and changes nothing else, so the helper's Compose still sees
//! the `${…}` expressions. The text is edited in place when the re-parsed
//! result is exactly the intended document, else re-encoded (which keeps
//! the meaning but loses comments).

use serde_json::{Map, Value};

use crate::agent::AgentDecisionError;
use crate::compose::quote_yaml_scalar;
use crate::values::parse_yaml_value;

const SECRET_KEY: &str = "DISTR_TARGET_SECRET";

/// Sets `services.agent.environment.DISTR_TARGET_SECRET` to `secret`.
///
/// `$` in the secret is doubled, as Compose would otherwise interpolate it;
/// the agent container then receives the secret unchanged.
///
/// # Errors
/// `Manifest` for YAML that does not parse or has the wrong structure, e.g.
/// `services is not an object`. The secret is never part of an error.
pub fn patch_update_manifest(
    manifest_yaml: &str,
    secret: &str,
) -> Result<String, AgentDecisionError> {
    let value = secret.replace('$', "$$");
    let mut root = parse_root(manifest_yaml)?;
    environment_mut(&mut root)?.insert(SECRET_KEY.to_owned(), Value::String(value.clone()));
    if let Some(edited) = edit_in_place(manifest_yaml, &value)
        && parse_root(&edited).is_ok_and(|reparsed| reparsed == root)
    {
        return Ok(edited);
    }
    let text = serde_saphyr::to_string(&Value::Object(root.clone()))
        .map_err(|_| manifest_error("the manifest could not be re-encoded"))?;
    match parse_root(&text) {
        Ok(reparsed) if reparsed == root => Ok(text),
        _ => Err(manifest_error("the manifest could not be re-encoded")),
    }
}

/// The new agent image: `services.agent.image`.
///
/// # Errors
/// `Manifest` when the YAML does not parse or the image is missing or not a
/// non-empty string.
pub fn manifest_agent_image(manifest_yaml: &str) -> Result<String, AgentDecisionError> {
    let root = parse_root(manifest_yaml)?;
    let agent = object(root.get("services"), "services")?;
    let agent = object(agent.get("agent"), "agent")?;
    match agent.get("image") {
        Some(Value::String(image)) if !image.trim().is_empty() => Ok(image.clone()),
        _ => Err(manifest_error("image is not a string")),
    }
}

fn manifest_error(text: &str) -> AgentDecisionError {
    AgentDecisionError::Manifest(text.to_owned())
}

fn parse_root(yaml: &str) -> Result<Map<String, Value>, AgentDecisionError> {
    match parse_yaml_value(yaml) {
        Ok(Value::Object(root)) => Ok(root),
        Ok(_) => Err(manifest_error("manifest is not an object")),
        Err(err) => Err(AgentDecisionError::Manifest(format!(
            "invalid manifest YAML: {err}"
        ))),
    }
}

fn object<'a>(
    value: Option<&'a Value>,
    what: &str,
) -> Result<&'a Map<String, Value>, AgentDecisionError> {
    match value {
        Some(Value::Object(map)) => Ok(map),
        _ => Err(AgentDecisionError::Manifest(format!(
            "{what} is not an object"
        ))),
    }
}

fn environment_mut(
    root: &mut Map<String, Value>,
) -> Result<&mut Map<String, Value>, AgentDecisionError> {
    let Some(Value::Object(services)) = root.get_mut("services") else {
        return Err(manifest_error("services is not an object"));
    };
    let Some(Value::Object(agent)) = services.get_mut("agent") else {
        return Err(manifest_error("agent is not an object"));
    };
    match agent.get_mut("environment") {
        Some(Value::Object(environment)) => Ok(environment),
        _ => Err(manifest_error("environment is not an object")),
    }
}

/// Replaces the value of the single `DISTR_TARGET_SECRET:` line. `None`
/// when there is not exactly one such line; the caller verifies the result.
fn edit_in_place(yaml: &str, value: &str) -> Option<String> {
    let prefix = format!("{SECRET_KEY}:");
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let mut matching = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with(&prefix));
    let (index, line) = matching.next()?;
    if matching.next().is_some() {
        return None;
    }
    let indent = line.len() - line.trim_start().len();
    let ending = if line.ends_with("\r\n") {
        "\r\n"
    } else if line.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    let replacement = format!(
        "{}{prefix} {}{ending}",
        line.get(..indent)?,
        quote_yaml_scalar(value)
    );
    let mut out = String::with_capacity(yaml.len() + value.len());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(if i == index { &replacement } else { line });
    }
    Some(out)
}

#[cfg(test)]
mod tests;
