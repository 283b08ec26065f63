//! Shipping the agent's own log records (AP §6.5): a `tracing` layer copies
//! debug-and-above records into a buffer, which a task flushes with one PUT
//! when 128 new records arrived and every 30 s after the first record.
//! A failed flush keeps the records, capped at 10 000 (oldest dropped).
//! Records emitted while uploading are not shipped.

mod layer;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use distr_domain::protocol::TargetLogInput;
use distr_ports::agent::HubApi;
use tokio::sync::Notify;
use tokio::time::{Instant, interval_at};

pub use layer::SelfLogLayer;

/// A flush happens when this many records arrived since the last one.
pub const SELF_LOG_BATCH: usize = 128;
/// At most this many records are kept while the Hub refuses them.
pub const SELF_LOG_CAP: usize = 10_000;

tokio::task_local! {
    /// Set while uploading, so the upload's own records are not shipped.
    static UPLOADING: ();
}

#[derive(Debug, Default)]
struct Pending {
    records: VecDeque<TargetLogInput>,
    since_flush: usize,
    started: bool,
}

/// The buffer between the layer and the shipper.
#[derive(Debug, Clone, Default)]
pub struct SelfLogBuffer {
    pending: Arc<Mutex<Pending>>,
    wake: Arc<Notify>,
}

impl SelfLogBuffer {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a record unless it was emitted by the upload itself.
    pub fn push(&self, record: TargetLogInput) {
        if UPLOADING.try_with(|()| ()).is_ok() {
            return;
        }
        let wake = {
            let mut pending = self.lock();
            pending.records.push_back(record);
            while pending.records.len() > SELF_LOG_CAP {
                pending.records.pop_front();
            }
            pending.since_flush += 1;
            let first = !pending.started;
            pending.started = true;
            first || pending.since_flush >= SELF_LOG_BATCH
        };
        if wake {
            self.wake.notify_one();
        }
    }

    /// Records waiting for upload.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().records.len()
    }

    /// Whether no record waits for upload.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Uploads the buffer through [`HubApi::put_agent_logs`].
#[derive(Debug)]
pub struct SelfLogShipper {
    buffer: SelfLogBuffer,
    period: Duration,
}

/// A layer to install in the subscriber and the shipper to run once the Hub
/// client exists; `period` is the flush timer (30 s).
#[must_use]
pub fn self_log_pipeline(period: Duration) -> (SelfLogLayer, SelfLogShipper) {
    let buffer = SelfLogBuffer::default();
    (
        SelfLogLayer::new(buffer.clone()),
        SelfLogShipper { buffer, period },
    )
}

impl SelfLogShipper {
    /// The shared buffer (for inspection).
    #[must_use]
    pub fn buffer(&self) -> &SelfLogBuffer {
        &self.buffer
    }

    /// Flushes forever: at every batch of new records, and every period
    /// from the first record on.
    pub async fn run(self, hub: Arc<dyn HubApi>) {
        while !self.buffer.lock().started {
            self.buffer.wake.notified().await;
        }
        let mut ticker = interval_at(Instant::now() + self.period, self.period);
        loop {
            tokio::select! {
                _ = ticker.tick() => self.flush(hub.as_ref()).await,
                () = self.buffer.wake.notified() => {
                    if self.buffer.lock().since_flush >= SELF_LOG_BATCH {
                        self.flush(hub.as_ref()).await;
                    }
                }
            }
        }
    }

    /// Uploads everything buffered with one PUT; on failure the records go
    /// back in front of newer ones, within the cap.
    pub async fn flush(&self, hub: &dyn HubApi) {
        let batch: Vec<TargetLogInput> = {
            let mut pending = self.buffer.lock();
            pending.since_flush = 0;
            pending.records.drain(..).collect()
        };
        if batch.is_empty() {
            return;
        }
        let result = UPLOADING.scope((), hub.put_agent_logs(&batch)).await;
        if let Err(err) = result {
            let mut pending = self.buffer.lock();
            let newer = std::mem::take(&mut pending.records);
            pending.records = batch.into_iter().chain(newer).collect();
            let excess = pending.records.len().saturating_sub(SELF_LOG_CAP);
            pending.records.drain(..excess);
            drop(pending);
            // Reported outside the upload scope on purpose: the failure is
            // worth shipping once the Hub is back.
            tracing::warn!(error = %err, "cannot upload agent logs");
        }
    }
}

#[cfg(test)]
mod tests;
