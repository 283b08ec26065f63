//! A clock tests move by hand.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use distr_ports::Clock;

/// A [`Clock`] that only moves when told to. Clones share the same time, so a
/// test can keep one handle and give another to the code under test.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock showing `start`.
    #[must_use]
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves the clock forward by `by`.
    ///
    /// # Panics
    /// When the resulting time is out of `chrono`'s range (a test bug).
    pub fn advance(&self, by: Duration) {
        let by = chrono::Duration::from_std(by).expect("advance duration fits chrono");
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = now.checked_add_signed(by).expect("advanced time in range");
    }

    /// Sets the clock to `at`. Tests may move it backwards on purpose, although
    /// the [`Clock`] contract says real clocks never do.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn clones_share_advances() {
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let clock = ManualClock::new(start);
        let other = clock.clone();
        clock.advance(Duration::from_secs(90));
        assert_eq!(other.now(), start + chrono::Duration::seconds(90));
    }

    #[test]
    fn set_moves_to_the_given_time() {
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let later = Utc.with_ymd_and_hms(2026, 5, 4, 3, 2, 1).unwrap();
        let clock = ManualClock::new(start);
        clock.set(later);
        assert_eq!(clock.now(), later);
    }
}
