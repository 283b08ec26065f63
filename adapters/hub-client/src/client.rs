//! The `HubClient`: configuration snapshot, token cache and the
//! authenticated request with its one 401 retry (AP §6.2, §6.3).

mod api;
mod login;
mod request;
mod resources;
mod response;

use std::sync::{Arc, PoisonError, RwLock};

use distr_ports::agent::HubError;
use reqwest::StatusCode;

use crate::config::HubClientConfig;
use crate::token::CachedToken;
use request::Call;

/// The Hub agent API over HTTP. Cheap to clone: clones share the
/// configuration, the connection pool and the cached token.
#[derive(Debug, Clone)]
pub struct HubClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    snapshot: RwLock<Arc<Snapshot>>,
    /// Held across a login so concurrent callers wait for one login instead
    /// of each spending one of the five logins a minute (AP §3.1 R2).
    token: tokio::sync::Mutex<Option<CachedToken>>,
}

/// One configuration with the HTTP client built from it.
#[derive(Debug)]
struct Snapshot {
    config: HubClientConfig,
    http: reqwest::Client,
    /// Bumped by every `replace_config`; tokens of older generations are dropped.
    generation: u64,
}

impl HubClient {
    /// Builds a client; no request is made until the first call.
    ///
    /// # Errors
    /// `HubError::Transport` when the HTTP client (TLS) cannot be initialised.
    pub fn new(config: HubClientConfig) -> Result<Self, HubError> {
        let http = build_http(&config)?;
        Ok(Self {
            inner: Arc::new(Inner {
                snapshot: RwLock::new(Arc::new(Snapshot {
                    config,
                    http,
                    generation: 0,
                })),
                token: tokio::sync::Mutex::new(None),
            }),
        })
    }

    /// Switches to a new configuration and drops the cached token, so the
    /// next call logs in with the new credentials (helm agent reload, AP §8.1).
    pub fn replace_config(&self, config: HubClientConfig) {
        let mut guard = self
            .inner
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let http = match build_http(&config) {
            Ok(http) => http,
            Err(err) => {
                // Keeping the old connection settings beats having no client.
                tracing::warn!(%err, "cannot rebuild the hub http client; keeping the old one");
                guard.http.clone()
            }
        };
        let generation = guard.generation.wrapping_add(1);
        *guard = Arc::new(Snapshot {
            config,
            http,
            generation,
        });
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(
            &self
                .inner
                .snapshot
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// A token that is good for at least 30 s more, logging in if needed;
    /// an unexpired old token when the refresh fails (AP §6.3).
    async fn bearer(&self, snapshot: &Snapshot) -> Result<String, HubError> {
        let mut cached = self.inner.token.lock().await;
        if cached
            .as_ref()
            .is_some_and(|token| token.generation != snapshot.generation)
        {
            *cached = None;
        }
        let now = chrono::Utc::now().timestamp();
        if let Some(token) = cached.as_ref()
            && !token.needs_refresh(now)
        {
            return Ok(token.jwt.clone());
        }
        match login::login(snapshot).await {
            Ok(token) => {
                let jwt = token.jwt.clone();
                *cached = Some(token);
                Ok(jwt)
            }
            Err(err) => match cached.as_ref() {
                Some(old) if old.unexpired(now) => {
                    tracing::warn!(%err, "agent token refresh failed; using the unexpired token");
                    Ok(old.jwt.clone())
                }
                _ => Err(err),
            },
        }
    }

    /// Drops the cached token if it is still `jwt` (another caller may have
    /// replaced it already).
    async fn forget(&self, jwt: &str) {
        let mut cached = self.inner.token.lock().await;
        if cached.as_ref().is_some_and(|token| token.jwt == jwt) {
            *cached = None;
        }
    }

    /// Sends `call` with a Bearer token. After a 401 the token is dropped, the
    /// client logs in and the request, body included, is rebuilt and sent
    /// exactly once more; a second 401 is returned to the caller as is.
    async fn send_authenticated(&self, call: &Call<'_>) -> Result<reqwest::Response, HubError> {
        let snapshot = self.snapshot();
        let token = self.bearer(&snapshot).await?;
        let first = request::send(call.build(&snapshot, &token)).await?;
        if first.status() != StatusCode::UNAUTHORIZED {
            return Ok(first);
        }
        drop(first);
        tracing::info!("hub answered 401; logging in again and retrying once");
        self.forget(&token).await;
        let snapshot = self.snapshot();
        let token = self.bearer(&snapshot).await?;
        request::send(call.build(&snapshot, &token)).await
    }
}

fn build_http(config: &HubClientConfig) -> Result<reqwest::Client, HubError> {
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .build()
        .map_err(|err| HubError::Transport(format!("cannot build the http client: {err}")))
}
