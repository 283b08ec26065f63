//! Connection settings of the Hub client (AP §6.1, §6.2).

use std::fmt;
use std::time::Duration;

/// Everything the client needs to talk to the Hub. Endpoints are full URLs
/// used verbatim (agents never build paths, AP §6.1).
#[derive(Clone, PartialEq, Eq)]
pub struct HubClientConfig {
    /// `DISTR_TARGET_ID`: the Basic-auth user of login.
    pub target_id: String,
    /// `DISTR_TARGET_SECRET`: the Basic-auth password of login. Never printed.
    pub target_secret: String,
    /// `DISTR_LOGIN_ENDPOINT`.
    pub login_endpoint: String,
    /// `DISTR_MANIFEST_ENDPOINT`.
    pub manifest_endpoint: String,
    /// `DISTR_RESOURCE_ENDPOINT`.
    pub resources_endpoint: String,
    /// `DISTR_STATUS_ENDPOINT`.
    pub status_endpoint: String,
    /// `DISTR_METRICS_ENDPOINT`.
    pub metrics_endpoint: String,
    /// `DISTR_LOGS_ENDPOINT`.
    pub logs_endpoint: String,
    /// `DISTR_AGENT_LOGS_ENDPOINT`.
    pub agent_logs_endpoint: String,
    /// The agent's own release name, sent as `DistrAgentClient/<this>`.
    pub user_agent_version: String,
    /// Time allowed to establish a connection (AP §6.2: 30 s).
    pub connect_timeout: Duration,
    /// Time allowed for a whole request (AP §6.2: 60 s); a long-poll gets its
    /// `wait` on top.
    pub request_timeout: Duration,
}

impl HubClientConfig {
    /// The connect timeout AP §6.2 recommends.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
    /// The per-request timeout AP §6.2 recommends.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

    /// The settings an agent derives from its environment (AP §6.1), with
    /// the recommended timeouts and `user_agent_version` as its release name.
    #[must_use]
    pub fn for_agent(env: &distr_domain::agent::AgentEnv, user_agent_version: String) -> Self {
        Self {
            target_id: env.target_id.clone(),
            target_secret: env.target_secret.clone(),
            login_endpoint: env.login_endpoint.clone(),
            manifest_endpoint: env.manifest_endpoint.clone(),
            resources_endpoint: env.resources_endpoint.clone(),
            status_endpoint: env.status_endpoint.clone(),
            metrics_endpoint: env.metrics_endpoint.clone(),
            logs_endpoint: env.logs_endpoint.clone(),
            agent_logs_endpoint: env.agent_logs_endpoint.clone(),
            user_agent_version,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
        }
    }

    /// The exact `User-Agent` value (AP §6.2: nothing appended).
    #[must_use]
    pub fn user_agent(&self) -> String {
        format!("DistrAgentClient/{}", self.user_agent_version)
    }
}

impl fmt::Debug for HubClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HubClientConfig")
            .field("target_id", &self.target_id)
            .field("target_secret", &"***")
            .field("login_endpoint", &self.login_endpoint)
            .field("manifest_endpoint", &self.manifest_endpoint)
            .field("resources_endpoint", &self.resources_endpoint)
            .field("status_endpoint", &self.status_endpoint)
            .field("metrics_endpoint", &self.metrics_endpoint)
            .field("logs_endpoint", &self.logs_endpoint)
            .field("agent_logs_endpoint", &self.agent_logs_endpoint)
            .field("user_agent_version", &self.user_agent_version)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_target_secret() {
        let config = HubClientConfig {
            target_id: "id".to_owned(),
            target_secret: "hunter2-secret".to_owned(),
            login_endpoint: String::new(),
            manifest_endpoint: String::new(),
            resources_endpoint: String::new(),
            status_endpoint: String::new(),
            metrics_endpoint: String::new(),
            logs_endpoint: String::new(),
            agent_logs_endpoint: String::new(),
            user_agent_version: "1.2.3".to_owned(),
            connect_timeout: HubClientConfig::DEFAULT_CONNECT_TIMEOUT,
            request_timeout: HubClientConfig::DEFAULT_REQUEST_TIMEOUT,
        };
        let text = format!("{config:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("\"id\""), "{text}");
        assert_eq!(config.user_agent(), "DistrAgentClient/1.2.3");
    }
}

#[cfg(test)]
mod for_agent_tests {
    use super::*;

    #[test]
    fn an_agent_environment_becomes_the_client_settings() {
        let vars = [
            ("DISTR_TARGET_ID", "target-1"),
            ("DISTR_TARGET_SECRET", "s3cret"),
            ("DISTR_LOGIN_ENDPOINT", "https://hub/api/v1/agent/login"),
            (
                "DISTR_MANIFEST_ENDPOINT",
                "https://hub/api/v1/agent/manifest",
            ),
            (
                "DISTR_RESOURCE_ENDPOINT",
                "https://hub/api/v1/agent/resources",
            ),
            ("DISTR_STATUS_ENDPOINT", "https://hub/api/v1/agent/status"),
            ("DISTR_METRICS_ENDPOINT", "https://hub/api/v1/agent/metrics"),
            ("DISTR_LOGS_ENDPOINT", "https://hub/api/v1/agent/logs"),
            (
                "DISTR_AGENT_LOGS_ENDPOINT",
                "https://hub/api/v1/agent/agent-logs",
            ),
            ("DISTR_INTERVAL", "5s"),
            ("DISTR_AGENT_VERSION_ID", "v1"),
            ("DISTR_REGISTRY_HOST", "registry.example"),
        ];
        let get = |key: &str| {
            vars.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        };
        let env = distr_domain::agent::parse_agent_env(&get).expect("a complete environment");
        let config = HubClientConfig::for_agent(&env, "2.7.1".to_owned());
        assert_eq!(config.target_id, "target-1");
        assert_eq!(config.target_secret, "s3cret");
        assert_eq!(
            config.resources_endpoint,
            "https://hub/api/v1/agent/resources"
        );
        assert_eq!(
            config.agent_logs_endpoint,
            "https://hub/api/v1/agent/agent-logs"
        );
        assert_eq!(config.logs_endpoint, "https://hub/api/v1/agent/logs");
        assert_eq!(config.user_agent(), "DistrAgentClient/2.7.1");
        assert_eq!(
            config.request_timeout,
            HubClientConfig::DEFAULT_REQUEST_TIMEOUT
        );
    }
}
