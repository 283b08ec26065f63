//! One Hub request as data, so the 401 retry can rebuild it in full.

use std::time::Duration;

use distr_ports::agent::HubError;
use reqwest::header::{CONTENT_TYPE, IF_NONE_MATCH, USER_AGENT};
use reqwest::{Method, RequestBuilder};

use super::Snapshot;
use crate::config::HubClientConfig;

/// What an authenticated call sends, minus the token.
#[derive(Debug)]
pub(super) struct Call<'a> {
    pub(super) method: Method,
    /// Picks the endpoint from the configuration current at send time.
    pub(super) endpoint: fn(&HubClientConfig) -> &str,
    /// A JSON body, sent as `application/json`.
    pub(super) json: Option<Vec<u8>>,
    pub(super) if_none_match: Option<&'a str>,
    pub(super) wait: Option<Duration>,
}

impl Call<'_> {
    pub(super) fn get(endpoint: fn(&HubClientConfig) -> &str) -> Self {
        Self {
            method: Method::GET,
            endpoint,
            json: None,
            if_none_match: None,
            wait: None,
        }
    }

    pub(super) fn json(
        method: Method,
        endpoint: fn(&HubClientConfig) -> &str,
        body: &impl serde::Serialize,
    ) -> Result<Self, HubError> {
        let json = serde_json::to_vec(body)
            .map_err(|err| HubError::Transport(format!("cannot encode the request body: {err}")))?;
        Ok(Self {
            method,
            endpoint,
            json: Some(json),
            if_none_match: None,
            wait: None,
        })
    }

    /// A fresh request; every attempt gets its own copy of the body.
    pub(super) fn build(&self, snapshot: &Snapshot, token: &str) -> RequestBuilder {
        let config = &snapshot.config;
        let timeout = config
            .request_timeout
            .saturating_add(self.wait.unwrap_or_default());
        let mut builder = snapshot
            .http
            .request(self.method.clone(), (self.endpoint)(config))
            .header(USER_AGENT, config.user_agent())
            .bearer_auth(token)
            .timeout(timeout);
        if let Some(json) = &self.json {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(json.clone());
        }
        if let Some(etag) = self.if_none_match {
            builder = builder.header(IF_NONE_MATCH, etag);
        }
        if let Some(wait) = self.wait {
            builder = builder.query(&[("wait", wait.as_secs())]);
        }
        builder
    }
}

/// Sends a request; every failure to get a response is a transport error.
pub(super) async fn send(builder: RequestBuilder) -> Result<reqwest::Response, HubError> {
    builder.send().await.map_err(transport)
}

/// The error with its sources, which carry the useful detail (refused,
/// timed out, certificate problem).
pub(super) fn transport(err: reqwest::Error) -> HubError {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    HubError::Transport(text)
}
