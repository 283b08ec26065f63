//! Change notification for long-polls (AP §11j).

use async_trait::async_trait;
use distr_domain::ids::TargetId;

/// Publishes "the desired state of these targets may have changed" events.
#[async_trait]
pub trait ChangeFeed: Send + Sync + std::fmt::Debug {
    /// Announces a change. MUST reach every subscriber created before the call,
    /// on every replica sharing the feed, within 1 s.
    async fn publish(&self, target: TargetId);

    /// Subscribes to changes of all targets.
    fn subscribe(&self) -> Box<dyn ChangeSubscription>;
}

/// A stream of change events.
#[async_trait]
pub trait ChangeSubscription: Send {
    /// Waits for the next changed target. `None` when the feed is closed.
    /// A lagging subscriber MAY receive `Some` of an unrelated target; callers
    /// re-check their state on any event.
    async fn next(&mut self) -> Option<TargetId>;
}
