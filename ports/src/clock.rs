//! Time, injected so tests can move it.

use chrono::{DateTime, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current UTC time. It MUST NOT go backwards between calls.
    fn now(&self) -> DateTime<Utc>;
}
