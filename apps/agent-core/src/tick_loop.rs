//! The agent loop's clock (AP §7.1, §10): a tick every interval, the first
//! within one interval, never overlapping, with at most one tick queued.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::{MissedTickBehavior, interval};

use crate::AbortOnDrop;

/// Requests an immediate tick (e.g. after a long-poll answered 200).
/// Requests made while a tick runs collapse into one queued tick.
#[derive(Debug, Clone)]
pub struct TickTrigger {
    pending: Arc<Notify>,
}

impl TickTrigger {
    /// Queues a tick unless one is already queued.
    pub fn tick_now(&self) {
        // `notify_one` stores at most one permit: that is the queue of one.
        self.pending.notify_one();
    }
}

/// Runs ticks one at a time.
#[derive(Debug)]
pub struct TickLoop {
    period: Duration,
    pending: Arc<Notify>,
}

impl TickLoop {
    /// A loop ticking every `period`.
    #[must_use]
    pub fn new(period: Duration) -> Self {
        Self {
            period,
            pending: Arc::new(Notify::new()),
        }
    }

    /// A handle that triggers ticks from elsewhere.
    #[must_use]
    pub fn trigger(&self) -> TickTrigger {
        TickTrigger {
            pending: Arc::clone(&self.pending),
        }
    }

    /// Runs `tick` at once and then every period, forever. A tick that
    /// outlasts the period leaves one tick queued; the others are dropped.
    pub async fn run<F, Fut>(self, mut tick: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = ()>,
    {
        let pending = Arc::clone(&self.pending);
        let period = self.period;
        let _ticker = AbortOnDrop::spawn(async move {
            let mut ticker = interval(period);
            ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                pending.notify_one();
            }
        });
        loop {
            self.pending.notified().await;
            tick().await;
        }
    }
}

#[cfg(test)]
mod tests;
