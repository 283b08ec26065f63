//! Obtaining the desired state (AP §6.4, §11h, §11j).
//!
//! Against a Hub without ETags every tick makes one plain request. Once the
//! Hub sent an ETag the last well-formed body is cached, requests carry
//! `If-None-Match`, and an optional long-poll loop keeps the cache current
//! and triggers a tick on every change; while that loop is healthy, ticks
//! reuse the cache without a request. No two requests start less than one
//! interval apart.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use distr_domain::protocol::AgentResource;
use distr_ports::agent::{HubApi, HubError, Resources};
use tokio::time::{Instant, sleep, sleep_until};

use crate::{AgentTimings, TickTrigger};

/// Why a tick got no desired state. Whatever the cause, the tick MUST
/// change nothing (AP §11h).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The request failed, was refused, or the body was not well-formed.
    #[error(transparent)]
    Hub(#[from] HubError),
    /// A 304 for which no matching body is cached.
    #[error("resources answered 304 but no cached body matches")]
    NotModifiedWithoutCache,
}

#[derive(Debug)]
struct Cached {
    resource: AgentResource,
    etag: String,
}

#[derive(Debug, Default)]
struct LongPollHealth {
    in_flight_since: Option<Instant>,
    last_ok: bool,
}

#[derive(Debug, Default)]
struct SourceState {
    cache: Option<Cached>,
    long_poll: LongPollHealth,
}

/// The desired state, as fetched for each tick.
#[derive(Debug)]
pub struct DesiredStateSource {
    hub: Arc<dyn HubApi>,
    timings: AgentTimings,
    /// Start of the previous resources request, whoever made it.
    last_start: tokio::sync::Mutex<Option<Instant>>,
    state: Mutex<SourceState>,
}

impl DesiredStateSource {
    /// A source with an empty cache.
    #[must_use]
    pub fn new(hub: Arc<dyn HubApi>, timings: AgentTimings) -> Self {
        Self {
            hub,
            timings,
            last_start: tokio::sync::Mutex::new(None),
            state: Mutex::new(SourceState::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, SourceState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The desired state for this tick: the cached body while the long-poll
    /// loop is healthy, otherwise the answer of a (conditional) request.
    ///
    /// # Errors
    /// Any failed, refused or malformed answer, and a 304 without a cached body.
    pub async fn fetch(&self) -> Result<AgentResource, FetchError> {
        let sent_etag = {
            let state = self.state();
            if let Some(cached) = &state.cache
                && self.long_poll_healthy(&state.long_poll)
            {
                return Ok(cached.resource.clone());
            }
            state.cache.as_ref().map(|c| c.etag.clone())
        };
        self.wait_for_turn().await;
        let answer = self.hub.resources(sent_etag.as_deref(), None).await;
        self.absorb(answer, sent_etag.as_deref())
    }

    /// One tick's work: [`fetch`](Self::fetch) the desired state and hand it
    /// to `apply`. A failed fetch ends the tick without any change or report
    /// (AP §6.4, §11h): it is logged and gives `None`.
    pub async fn fetch_then<T, F, Fut>(&self, apply: F) -> Option<T>
    where
        F: FnOnce(AgentResource) -> Fut,
        Fut: Future<Output = T>,
    {
        match self.fetch().await {
            Ok(desired) => Some(apply(desired).await),
            Err(err) => {
                tracing::warn!(error = %err, "cannot obtain desired state; nothing changed");
                None
            }
        }
    }

    fn long_poll_healthy(&self, health: &LongPollHealth) -> bool {
        match health.in_flight_since {
            Some(since) => {
                since.elapsed() < self.timings.long_poll_wait + self.timings.long_poll_grace
            }
            None => health.last_ok,
        }
    }

    /// Sleeps until one interval after the previous request started, then
    /// claims the slot.
    async fn wait_for_turn(&self) {
        let mut last = self.last_start.lock().await;
        if let Some(previous) = *last {
            sleep_until(previous + self.timings.interval).await;
        }
        *last = Some(Instant::now());
    }

    fn absorb(
        &self,
        answer: Result<Resources, HubError>,
        sent_etag: Option<&str>,
    ) -> Result<AgentResource, FetchError> {
        let mut state = self.state();
        match answer? {
            Resources::Fresh { resource, etag } => {
                // A Hub that stops sending ETags gets plain polling again.
                state.cache = etag.map(|etag| Cached {
                    resource: resource.clone(),
                    etag,
                });
                Ok(resource)
            }
            Resources::NotModified => match &state.cache {
                Some(cached) if Some(cached.etag.as_str()) == sent_etag => {
                    Ok(cached.resource.clone())
                }
                _ => Err(FetchError::NotModifiedWithoutCache),
            },
        }
    }

    /// The long-poll loop (`wait` = [`AgentTimings::long_poll_wait`]). It
    /// idles until the Hub has sent an ETag, so a Distr 2.7 Hub never sees
    /// `If-None-Match` or `wait`. A 200 replaces the cache and triggers a tick.
    pub async fn run_long_poll(self: Arc<Self>, trigger: TickTrigger) {
        loop {
            let has_etag = self.state().cache.is_some();
            if !has_etag {
                self.state().long_poll = LongPollHealth::default();
                sleep(self.timings.interval).await;
                continue;
            }
            self.wait_for_turn().await;
            let Some(etag) = self.start_long_poll() else {
                continue;
            };
            let answer = self
                .hub
                .resources(Some(&etag), Some(self.timings.long_poll_wait))
                .await;
            let changed = matches!(answer, Ok(Resources::Fresh { .. }));
            let ok = match self.absorb(answer, Some(&etag)) {
                Ok(_) => self.state().cache.is_some(),
                Err(err) => {
                    tracing::warn!(error = %err, "long-poll for desired state failed");
                    false
                }
            };
            {
                let mut state = self.state();
                state.long_poll.in_flight_since = None;
                state.long_poll.last_ok = ok;
            }
            if changed {
                trigger.tick_now();
            }
        }
    }

    /// Marks a long-poll in flight and returns the ETag to send.
    fn start_long_poll(&self) -> Option<String> {
        let mut state = self.state();
        let etag = state.cache.as_ref().map(|c| c.etag.clone())?;
        state.long_poll.in_flight_since = Some(Instant::now());
        Some(etag)
    }
}

#[cfg(test)]
mod tests;
