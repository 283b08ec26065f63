//! Sliding-window rate limiters (AP §3.1, HS §3.5). Being written.

/// The per-replica limiters.
#[derive(Debug, Default)]
pub struct RateLimits {}
