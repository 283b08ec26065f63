//! Lenient JSON input of agent routes (AP §3.1): unknown fields are ignored,
//! `null` means absent, and the `Content-Type` is not enforced because
//! Distr 2.7 agents are not consistent about it.

use axum::body::Bytes;
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// Decodes a JSON body; an empty body decodes like `null`.
///
/// # Errors
/// 400 `bad-request` for malformed JSON or a wrong shape.
pub fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(text)
        .map_err(|err| ApiError::bad_request(format!("invalid JSON body: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        revision_id: Option<String>,
    }

    #[test]
    fn unknown_fields_and_nulls_are_tolerated() {
        let probe: Probe =
            json_body(&Bytes::from_static(br#"{"revisionId": null, "extra": 1}"#)).unwrap();
        assert_eq!(probe, Probe { revision_id: None });
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let err = json_body::<Probe>(&Bytes::from_static(b"{nope")).unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST);
    }

    #[test]
    fn empty_body_is_null() {
        let value: Option<Probe> = json_body(&Bytes::new()).unwrap();
        assert_eq!(value, None);
    }
}
