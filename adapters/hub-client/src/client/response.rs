//! Turning HTTP answers into results (AP §6.2: any non-2xx is a failure).

use distr_ports::agent::HubError;

use super::request::transport;

/// Bodies of error answers are for logging only; a huge one is cut here.
const MAX_ERROR_BODY_CHARS: usize = 4096;

/// `Ok` for a 2xx; the body is not needed.
pub(super) async fn expect_success(response: reqwest::Response) -> Result<(), HubError> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(status_error(response).await)
    }
}

/// The body of a 2xx answer.
pub(super) async fn success_body(response: reqwest::Response) -> Result<Vec<u8>, HubError> {
    if !response.status().is_success() {
        return Err(status_error(response).await);
    }
    let bytes = response.bytes().await.map_err(transport)?;
    Ok(bytes.to_vec())
}

/// `non-ok http status: <code> <text> (<trimmed body>)`. Plain-text and empty
/// bodies of a Distr 2.7 Hub are fine: the body is only logged.
pub(super) async fn status_error(response: reqwest::Response) -> HubError {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let body = body.trim();
    let body = match body.char_indices().nth(MAX_ERROR_BODY_CHARS) {
        Some((cut, _)) => format!("{}…", body.get(..cut).unwrap_or_default()),
        None => body.to_owned(),
    };
    HubError::Status {
        code: status.as_u16(),
        text: status.canonical_reason().unwrap_or_default().to_owned(),
        body,
    }
}
