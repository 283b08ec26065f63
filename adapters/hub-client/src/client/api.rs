//! `HubApi` over the authenticated request (AP §3).

use std::time::Duration;

use async_trait::async_trait;
use distr_domain::deployment::StatusType;
use distr_domain::ids::RevisionId;
use distr_domain::protocol::{LogRecordInput, MetricsReport, TargetLogInput};
use distr_ports::agent::{HubApi, HubError, Resources};
use reqwest::Method;

use super::HubClient;
use super::request::Call;
use super::resources;
use super::response::{expect_success, success_body};

#[async_trait]
impl HubApi for HubClient {
    async fn resources(
        &self,
        if_none_match: Option<&str>,
        wait: Option<Duration>,
    ) -> Result<Resources, HubError> {
        let mut call = Call::get(|config| &config.resources_endpoint);
        call.if_none_match = if_none_match;
        call.wait = wait;
        let response = self.send_authenticated(&call).await?;
        resources::decode(response, if_none_match.is_some()).await
    }

    async fn manifest(&self) -> Result<String, HubError> {
        let call = Call::get(|config| &config.manifest_endpoint);
        let body = success_body(self.send_authenticated(&call).await?).await?;
        String::from_utf8(body)
            .map_err(|_| HubError::Malformed("manifest is not UTF-8 text".to_owned()))
    }

    async fn post_status(
        &self,
        revision: RevisionId,
        status: StatusType,
        message: &str,
    ) -> Result<(), HubError> {
        let body = serde_json::json!({
            "revisionId": revision,
            "type": status.as_str(),
            "message": message,
        });
        let call = Call::json(Method::POST, |config| &config.status_endpoint, &body)?;
        expect_success(self.send_authenticated(&call).await?).await
    }

    async fn post_metrics(&self, metrics: &MetricsReport) -> Result<(), HubError> {
        let call = Call::json(Method::POST, |config| &config.metrics_endpoint, metrics)?;
        expect_success(self.send_authenticated(&call).await?).await
    }

    async fn put_logs(&self, records: &[LogRecordInput]) -> Result<(), HubError> {
        let call = Call::json(Method::PUT, |config| &config.logs_endpoint, &records)?;
        expect_success(self.send_authenticated(&call).await?).await
    }

    async fn put_agent_logs(&self, records: &[TargetLogInput]) -> Result<(), HubError> {
        let call = Call::json(Method::PUT, |config| &config.agent_logs_endpoint, &records)?;
        expect_success(self.send_authenticated(&call).await?).await
    }

    async fn token(&self) -> Result<String, HubError> {
        let snapshot = self.snapshot();
        self.bearer(&snapshot).await
    }
}
