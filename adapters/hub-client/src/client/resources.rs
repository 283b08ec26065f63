//! Decoding `GET /agent/resources` answers (AP §5.3, §6.4, §11h, §11j).

use distr_domain::protocol::AgentResource;
use distr_ports::agent::{HubError, Resources};
use reqwest::StatusCode;
use reqwest::header::ETAG;
use serde_json::Value;

use super::response::success_body;

/// A 304 only counts when `If-None-Match` was sent; anything but a
/// well-formed 2xx body is an error, so the caller changes nothing.
pub(super) async fn decode(
    response: reqwest::Response,
    asked_conditionally: bool,
) -> Result<Resources, HubError> {
    if response.status() == StatusCode::NOT_MODIFIED {
        return if asked_conditionally {
            Ok(Resources::NotModified)
        } else {
            Err(HubError::Malformed(
                "304 Not Modified to a request without If-None-Match".to_owned(),
            ))
        };
    }
    let etag = response
        .headers()
        .get(ETAG)
        .and_then(|value| value.to_str().ok())
        .filter(|value| !value.is_empty())
        .map(str::to_owned);
    let body = success_body(response).await?;
    let resource = parse(&body)?;
    Ok(Resources::Fresh { resource, etag })
}

/// A well-formed `AgentResource`: a JSON object whose `version.id` is a uuid
/// and whose deployments are objects with uuid ids and decodable bytes.
pub(crate) fn parse(body: &[u8]) -> Result<AgentResource, HubError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|err| HubError::Malformed(format!("resources body is not JSON: {err}")))?;
    check_shape(&value).map_err(|what| {
        HubError::Malformed(format!("resources body is not well-formed: {what}"))
    })?;
    serde_json::from_value(value)
        .map_err(|err| HubError::Malformed(format!("resources body is not well-formed: {err}")))
}

/// Serde also decodes structs from arrays; the wire format has objects only.
fn check_shape(value: &Value) -> Result<(), &'static str> {
    let Value::Object(root) = value else {
        return Err("not a JSON object");
    };
    if !root.get("version").is_some_and(Value::is_object) {
        return Err("version is not an object");
    }
    match root.get("deployments") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => Ok(()),
        Some(_) => Err("deployments is not an array of objects"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERSION: &str =
        r#""version":{"id":"00000000-0000-0000-0000-000000000001","name":"1.0.0"}"#;

    #[test]
    fn a_resource_without_deployments_is_well_formed() {
        let resource = parse(format!("{{{VERSION}}}").as_bytes()).unwrap();
        assert!(resource.deployments.is_empty());
        assert_eq!(resource.version.name, "1.0.0");
    }

    #[test]
    fn arrays_in_place_of_objects_are_malformed() {
        assert!(parse(b"[]").is_err());
        assert!(parse(br#"{"version":["00000000-0000-0000-0000-000000000001"]}"#).is_err());
        let array_deployment = format!(
            r#"{{{VERSION},"deployments":[["00000000-0000-0000-0000-000000000002","00000000-0000-0000-0000-000000000003"]]}}"#
        );
        assert!(matches!(
            parse(array_deployment.as_bytes()),
            Err(HubError::Malformed(_))
        ));
    }

    #[test]
    fn a_non_uuid_version_id_is_malformed() {
        assert!(parse(br#"{"version":{"id":"v1"}}"#).is_err());
        assert!(parse(br#"{"metricsEnabled":true}"#).is_err());
    }
}
