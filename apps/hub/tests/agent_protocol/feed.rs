//! Test doubles the Hub needs besides a store: a wall clock and an
//! in-process change feed (the same shape as the SQLite feed).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::ids::TargetId;
use distr_ports::{ChangeFeed, ChangeSubscription, Clock};
use tokio::sync::broadcast;

/// The real time.
#[derive(Debug, Default)]
pub struct WallClock;

impl Clock for WallClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A broadcast-channel change feed.
#[derive(Debug)]
pub struct LocalFeed {
    sender: broadcast::Sender<TargetId>,
}

impl Default for LocalFeed {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(256).0,
        }
    }
}

#[async_trait]
impl ChangeFeed for LocalFeed {
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
            // A lagging subscriber re-checks; which target it names does not matter.
            Err(broadcast::error::RecvError::Lagged(_)) => Some(TargetId::nil()),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}
