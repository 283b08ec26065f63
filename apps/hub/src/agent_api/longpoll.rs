//! The `wait` long-poll of `GET /agent/resources` (AP §11j): hold until the
//! body changes, `wait` expires or shutdown starts, holding no database
//! connection meanwhile and keeping `lastSeenAt` fresh.

use std::time::Duration;

use distr_domain::target::DeploymentTarget;
use distr_ports::ChangeSubscription;
use tokio::time::{Instant, MissedTickBehavior};

use super::desired::{self, BuildError, Desired};
use super::resources::record_contact;
use crate::state::AppState;

/// The longest accepted `wait`.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// How often a held request refreshes `lastSeenAt` (AP: at most every 15 s).
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(10);

/// Re-check period when the change feed has closed, keeping the 1 s bound.
const POLL_WITHOUT_FEED: Duration = Duration::from_secs(1);

/// Parses `wait` from a raw query: a non-negative integer, capped; anything
/// else is 0.
#[must_use]
pub fn parse_wait(query: Option<&str>) -> Duration {
    let seconds = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|pair| pair.strip_prefix("wait="))
        .next_back()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    Duration::from_secs(seconds).min(MAX_WAIT)
}

/// Holds until the desired state's ETag differs from `etag` (→ `Some`), or
/// `wait` passes or shutdown starts (→ `None`).
///
/// # Errors
/// A [`BuildError`] from a re-check.
pub async fn hold(
    state: &AppState,
    target: &DeploymentTarget,
    etag: &str,
    wait: Duration,
    mut feed: Option<Box<dyn ChangeSubscription>>,
) -> Result<Option<Desired>, BuildError> {
    let _held = state.metrics.hold_longpoll();
    let deadline = Instant::now() + wait;
    let mut shutdown = state.shutdown.clone();
    let shutting_down = async move {
        if shutdown.wait_for(|down| *down).await.is_err() {
            // The sender is gone without a shutdown: never fire.
            std::future::pending::<()>().await;
        }
    };
    tokio::pin!(shutting_down);
    let mut heartbeat = tokio::time::interval_at(Instant::now() + HEARTBEAT_EVERY, HEARTBEAT_EVERY);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut poll = tokio::time::interval_at(Instant::now() + POLL_WITHOUT_FEED, POLL_WITHOUT_FEED);
    poll.set_missed_tick_behavior(MissedTickBehavior::Delay);

    loop {
        let recheck = tokio::select! {
            () = tokio::time::sleep_until(deadline) => return Ok(None),
            () = &mut shutting_down => return Ok(None),
            _ = heartbeat.tick() => {
                record_contact(state, target.id, "OK").await;
                false
            }
            event = next_event(feed.as_mut()) => {
                if event.is_none() {
                    tracing::warn!("change feed closed; long-poll falls back to polling");
                    feed = None;
                }
                true
            }
            _ = poll.tick(), if feed.is_none() => true,
        };
        if recheck {
            let current = desired::rebuild(state, target).await?;
            if current.etag != etag {
                return Ok(Some(current));
            }
        }
    }
}

/// The next change event (any target: lagging feeds may mislabel events, so
/// every event triggers a re-check); pending forever without a feed.
async fn next_event(feed: Option<&mut Box<dyn ChangeSubscription>>) -> Option<()> {
    match feed {
        Some(feed) => feed.next().await.map(|_| ()),
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_accepts_only_non_negative_integers() {
        assert_eq!(parse_wait(Some("wait=30")), Duration::from_secs(30));
        assert_eq!(parse_wait(Some("a=b&wait=5")), Duration::from_secs(5));
        assert_eq!(parse_wait(Some("wait=-1")), Duration::ZERO);
        assert_eq!(parse_wait(Some("wait=1.5")), Duration::ZERO);
        assert_eq!(parse_wait(Some("wait=abc")), Duration::ZERO);
        assert_eq!(parse_wait(None), Duration::ZERO);
    }

    #[test]
    fn wait_is_capped_at_sixty_seconds() {
        assert_eq!(parse_wait(Some("wait=600")), MAX_WAIT);
    }
}
