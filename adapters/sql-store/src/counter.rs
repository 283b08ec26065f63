//! Counting the SQL statements a store runs (HS §6.1: `GET
//! /deployment-targets` uses a bounded number of queries). For tests and
//! benchmarks; production stores are opened without a counter.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent};

/// A shared count of the statements run on every connection of the stores
/// opened with it ([`crate::SqlStore::open_counting`]). Transaction control
/// (`BEGIN`, `COMMIT`, savepoints) counts as statements too. Clones share
/// the count.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// A counter at zero.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The statements counted so far.
    #[must_use]
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Returns the count and sets it back to zero.
    pub fn take(&self) -> u64 {
        self.0.swap(0, Ordering::SeqCst)
    }

    /// The diesel instrumentation that feeds this counter.
    pub(crate) fn instrumentation(&self) -> impl Instrumentation + use<> {
        let count = Arc::clone(&self.0);
        move |event: InstrumentationEvent<'_>| {
            if matches!(event, InstrumentationEvent::StartQuery { .. }) {
                count.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_count_and_take_resets_it() {
        let counter = StatementCounter::new();
        let clone = counter.clone();
        clone.0.fetch_add(3, Ordering::SeqCst);
        assert_eq!(counter.get(), 3);
        assert_eq!(counter.take(), 3);
        assert_eq!(clone.get(), 0);
    }
}
