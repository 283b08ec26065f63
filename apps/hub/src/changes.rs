//! The in-process [`ChangeFeed`]: the single-replica (SQLite) implementation
//! of long-poll wake-ups (HS §6.2), on a tokio broadcast channel.

use async_trait::async_trait;
use distr_domain::ids::TargetId;
use distr_ports::{ChangeFeed, ChangeSubscription};
use tokio::sync::broadcast;

/// Events buffered per subscriber before it lags.
const CAPACITY: usize = 1024;

/// Broadcasts changes to every subscriber of this process.
#[derive(Debug, Clone)]
pub struct LocalChangeFeed {
    sender: broadcast::Sender<TargetId>,
}

impl Default for LocalChangeFeed {
    fn default() -> Self {
        Self::new()
    }
}

impl LocalChangeFeed {
    /// A feed without subscribers.
    #[must_use]
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
        }
    }
}

#[async_trait]
impl ChangeFeed for LocalChangeFeed {
    async fn publish(&self, target: TargetId) {
        // No subscriber is not an error: nobody is waiting.
        let _ = self.sender.send(target);
    }

    fn subscribe(&self) -> Box<dyn ChangeSubscription> {
        Box::new(LocalSubscription {
            receiver: self.sender.subscribe(),
        })
    }
}

struct LocalSubscription {
    receiver: broadcast::Receiver<TargetId>,
}

#[async_trait]
impl ChangeSubscription for LocalSubscription {
    async fn next(&mut self) -> Option<TargetId> {
        match self.receiver.recv().await {
            Ok(target) => Some(target),
            // Events were dropped: any event makes callers re-check their state.
            Err(broadcast::error::RecvError::Lagged(_)) => Some(TargetId::nil()),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_earlier_subscriber_receives_a_published_change() {
        let feed = LocalChangeFeed::new();
        let mut a = feed.subscribe();
        let mut b = feed.subscribe();
        let target = TargetId::from_uuid(uuid::Uuid::now_v7());
        feed.publish(target).await;
        assert_eq!(a.next().await, Some(target));
        assert_eq!(b.next().await, Some(target));
    }

    #[tokio::test]
    async fn lagging_subscriber_still_wakes_up() {
        let feed = LocalChangeFeed::new();
        let mut slow = feed.subscribe();
        for _ in 0..(CAPACITY + 10) {
            feed.publish(TargetId::from_uuid(uuid::Uuid::now_v7()))
                .await;
        }
        assert!(slow.next().await.is_some());
    }

    #[tokio::test]
    async fn publishing_without_subscribers_is_harmless() {
        LocalChangeFeed::new().publish(TargetId::nil()).await;
    }
}
