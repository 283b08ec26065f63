//! Configuration reload on every tick (AP §8.1): the files of
//! `DISTR_AGENT_CONFIG_DIRS` over the process environment are re-read, and
//! when the target credentials or an endpoint changed, the Hub client is
//! replaced (which drops its cached token).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use distr_agent_core::SwappableHub;
use distr_domain::agent::{AgentEnv, overlay_lookup, reload_agent_env};
use distr_ports::agent::HubApi;

/// Reads the configuration files (variable name → contents).
pub type ReadFiles = Box<dyn Fn() -> Result<BTreeMap<String, String>, String> + Send + Sync>;
/// Looks a variable up in the process environment.
pub type LookupEnv = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;
/// Builds a Hub client for a configuration.
pub type Connect = Box<dyn Fn(&AgentEnv) -> Result<Arc<dyn HubApi>, String> + Send + Sync>;

/// The per-tick reload.
pub struct ConfigReload {
    current: Mutex<AgentEnv>,
    read_files: ReadFiles,
    lookup_env: LookupEnv,
    connect: Connect,
    hub: Arc<SwappableHub>,
}

impl fmt::Debug for ConfigReload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigReload")
            .field("current", &self.current)
            .field("hub", &self.hub)
            .finish_non_exhaustive()
    }
}

impl ConfigReload {
    /// A reload starting from `current`, replacing the client behind `hub`.
    #[must_use]
    pub fn new(
        current: AgentEnv,
        read_files: ReadFiles,
        lookup_env: LookupEnv,
        connect: Connect,
        hub: Arc<SwappableHub>,
    ) -> Self {
        Self {
            current: Mutex::new(current),
            read_files,
            lookup_env,
            connect,
            hub,
        }
    }

    /// Re-reads the configuration; `true` when the Hub client was replaced.
    /// Unreadable files, a missing variable or a client that cannot be built
    /// keep the current configuration (and are logged).
    pub fn reload(&self) -> bool {
        let files = match (self.read_files)() {
            Ok(files) => files,
            Err(err) => {
                tracing::warn!(error = %err, "cannot read the agent configuration; keeping the current one");
                return false;
            }
        };
        let lookup_env = &self.lookup_env;
        let fallback = |name: &str| lookup_env(name);
        let lookup = overlay_lookup(&files, &fallback);
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        let reloaded = match reload_agent_env(&current, &lookup) {
            Ok(reloaded) => reloaded,
            Err(err) => {
                tracing::warn!(error = %err, "agent configuration incomplete; keeping the current one");
                return false;
            }
        };
        if !reloaded.connection_changed {
            return false;
        }
        match (self.connect)(&reloaded.env) {
            Ok(client) => {
                self.hub.replace(client);
                *current = reloaded.env;
                tracing::info!("agent configuration changed; new Hub client, token dropped");
                true
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot build a Hub client for the new configuration");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use distr_domain::agent::parse_agent_env;
    use distr_testkit::agent_fakes::FakeHub;

    use super::*;

    fn base_env() -> BTreeMap<String, String> {
        [
            "DISTR_TARGET_ID",
            "DISTR_TARGET_SECRET",
            "DISTR_LOGIN_ENDPOINT",
            "DISTR_MANIFEST_ENDPOINT",
            "DISTR_RESOURCE_ENDPOINT",
            "DISTR_STATUS_ENDPOINT",
            "DISTR_METRICS_ENDPOINT",
            "DISTR_LOGS_ENDPOINT",
            "DISTR_AGENT_LOGS_ENDPOINT",
        ]
        .into_iter()
        .map(|k| (k.to_owned(), format!("old-{k}")))
        .collect()
    }

    struct Setup {
        files: Arc<Mutex<Result<BTreeMap<String, String>, String>>>,
        built: Arc<Mutex<Vec<AgentEnv>>>,
        first: FakeHub,
        hub: Arc<SwappableHub>,
        reload: ConfigReload,
    }

    fn setup() -> Setup {
        let process = base_env();
        let current = parse_agent_env(&|k| process.get(k).cloned()).unwrap();
        let files = Arc::new(Mutex::new(Ok(BTreeMap::new())));
        let built = Arc::new(Mutex::new(Vec::new()));
        let first = FakeHub::new();
        let hub = Arc::new(SwappableHub::new(Arc::new(first.clone())));
        let (files_read, built_by) = (Arc::clone(&files), Arc::clone(&built));
        let reload = ConfigReload::new(
            current,
            Box::new(move || files_read.lock().unwrap().clone()),
            Box::new(move |k| process.get(k).cloned()),
            Box::new(move |env| {
                built_by.lock().unwrap().push(env.clone());
                Ok(Arc::new(FakeHub::new()) as Arc<dyn HubApi>)
            }),
            Arc::clone(&hub),
        );
        Setup {
            files,
            built,
            first,
            hub,
            reload,
        }
    }

    #[tokio::test]
    async fn an_unchanged_configuration_keeps_the_client() {
        let s = setup();
        assert!(!s.reload.reload());
        assert!(s.built.lock().unwrap().is_empty());
        s.hub.token().await.unwrap();
        assert_eq!(s.first.token_requests(), 1);
    }

    #[tokio::test]
    async fn a_changed_secret_file_replaces_the_client() {
        let s = setup();
        *s.files.lock().unwrap() = Ok(BTreeMap::from([(
            "DISTR_TARGET_SECRET".to_owned(),
            "rotated".to_owned(),
        )]));
        assert!(s.reload.reload());
        assert_eq!(s.built.lock().unwrap()[0].target_secret, "rotated");
        s.hub.token().await.unwrap();
        assert_eq!(
            s.first.token_requests(),
            0,
            "the old client is no longer used"
        );
        assert!(!s.reload.reload(), "the new configuration is now current");
    }

    #[tokio::test]
    async fn unreadable_files_keep_the_current_configuration_until_readable() {
        let s = setup();
        *s.files.lock().unwrap() = Err("permission denied".to_owned());
        assert!(!s.reload.reload());
        *s.files.lock().unwrap() = Ok(BTreeMap::from([(
            "DISTR_LOGIN_ENDPOINT".to_owned(),
            "new".to_owned(),
        )]));
        assert!(s.reload.reload());
        assert_eq!(s.built.lock().unwrap().len(), 1);
    }
}
