//! The system clock, at microsecond precision (HS §2.1) and never going backwards.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};
use distr_ports::Clock;

/// Wall-clock time, truncated to microseconds, monotonic within the process.
#[derive(Debug, Default)]
pub struct SystemClock {
    last_micros: AtomicI64,
}

impl SystemClock {
    /// A new clock.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        let wall = Utc::now().timestamp_micros();
        // A wall clock stepped backwards (NTP) must not reorder our timestamps.
        let previous = self.last_micros.fetch_max(wall, Ordering::SeqCst);
        let micros = previous.max(wall);
        DateTime::from_timestamp_micros(micros).unwrap_or_else(Utc::now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_has_microsecond_precision_and_never_goes_backwards() {
        let clock = SystemClock::new();
        let mut last = clock.now();
        for _ in 0..1000 {
            let now = clock.now();
            assert!(now >= last);
            assert_eq!(now.timestamp_subsec_nanos() % 1000, 0);
            last = now;
        }
    }
}
