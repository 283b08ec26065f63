//! Sliding-window rate limiters (AP §3.1, HS §3.5).
//!
//! Counters are per replica by design (HS §6.2). Each key keeps at most
//! `limit` timestamps, the exact sliding log of its last minute, so memory per
//! key is bounded; keys idle for a whole window are pruned periodically.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderValue, StatusCode, header};

use crate::problem::ApiError;

/// Length of every window.
pub const WINDOW: Duration = Duration::from_secs(60);

/// A sweep of idle keys runs at most once per this many checks.
const PRUNE_EVERY: u64 = 4096;

type Key = (&'static str, String);

#[derive(Debug, Default)]
struct Inner {
    windows: HashMap<Key, VecDeque<Instant>>,
    checks: u64,
    last_prune: Option<Instant>,
}

/// The per-replica limiters, shared by every route.
#[derive(Debug)]
pub struct RateLimits {
    enabled: bool,
    inner: Mutex<Inner>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::new(true)
    }
}

impl RateLimits {
    /// Limiters; when `enabled` is false every check passes (`RATE_LIMIT_ENABLED`).
    #[must_use]
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Counts one request of `key` in `bucket` and refuses it when the last
    /// 60 s already hold `limit` requests. Refused requests are not counted.
    ///
    /// # Errors
    /// 429 `rate-limited` with `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
    /// `X-RateLimit-Reset` (unix seconds at window end) and `Retry-After: 60`.
    pub fn check(&self, bucket: &'static str, key: &str, limit: u32) -> Result<(), ApiError> {
        self.check_at(bucket, key, limit, Instant::now())
    }

    /// [`RateLimits::check`] at a given instant (tests move time with it).
    ///
    /// # Errors
    /// As [`RateLimits::check`].
    pub fn check_at(
        &self,
        bucket: &'static str,
        key: &str,
        limit: u32,
        now: Instant,
    ) -> Result<(), ApiError> {
        if !self.enabled {
            return Ok(());
        }
        // A poisoned lock only means another request panicked mid-update; the
        // counters are still usable.
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.checks = inner.checks.wrapping_add(1);
        if inner.checks.is_multiple_of(PRUNE_EVERY)
            || inner
                .last_prune
                .is_none_or(|t| now.saturating_duration_since(t) > WINDOW)
        {
            prune(&mut inner.windows, now);
            inner.last_prune = Some(now);
        }
        let log = inner.windows.entry((bucket, key.to_owned())).or_default();
        while log
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= WINDOW)
        {
            log.pop_front();
        }
        let cap = usize::try_from(limit).unwrap_or(usize::MAX);
        if log.len() < cap {
            log.push_back(now);
            return Ok(());
        }
        let oldest = log.front().copied().unwrap_or(now);
        let reset_in = WINDOW.saturating_sub(now.saturating_duration_since(oldest));
        Err(limited(limit, reset_in))
    }

    /// Number of keys currently tracked (for tests of the pruning).
    #[must_use]
    pub fn tracked_keys(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .windows
            .len()
    }
}

fn prune(windows: &mut HashMap<Key, VecDeque<Instant>>, now: Instant) {
    windows.retain(|_, log| {
        log.back()
            .is_some_and(|&t| now.saturating_duration_since(t) < WINDOW)
    });
}

fn limited(limit: u32, reset_in: Duration) -> ApiError {
    let reset_at = SystemTime::now()
        .checked_add(reset_in)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0));
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate-limited",
        "rate limit exceeded, retry later",
    )
    .with_header(
        header::HeaderName::from_static("x-ratelimit-limit"),
        HeaderValue::from(limit),
    )
    .with_header(
        header::HeaderName::from_static("x-ratelimit-remaining"),
        HeaderValue::from_static("0"),
    )
    .with_header(
        header::HeaderName::from_static("x-ratelimit-reset"),
        HeaderValue::from(reset_at),
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from_static("60"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_over_the_limit_is_refused_with_headers() {
        let limits = RateLimits::new(true);
        let now = Instant::now();
        for _ in 0..5 {
            limits.check_at("login", "t1", 5, now).unwrap();
        }
        let err = limits.check_at("login", "t1", 5, now).unwrap_err();
        assert_eq!(err.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(err.slug, "rate-limited");
        let names: Vec<_> = err
            .headers
            .iter()
            .map(|(n, _)| n.as_str().to_owned())
            .collect();
        for expected in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "retry-after",
        ] {
            assert!(names.iter().any(|n| n == expected), "missing {expected}");
        }
    }

    #[test]
    fn buckets_and_keys_are_counted_separately() {
        let limits = RateLimits::new(true);
        let now = Instant::now();
        limits.check_at("a", "k", 1, now).unwrap();
        limits.check_at("b", "k", 1, now).unwrap();
        limits.check_at("a", "other", 1, now).unwrap();
        assert!(limits.check_at("a", "k", 1, now).is_err());
    }

    #[test]
    fn window_slides_after_sixty_seconds() {
        let limits = RateLimits::new(true);
        let start = Instant::now();
        limits.check_at("a", "k", 2, start).unwrap();
        limits
            .check_at("a", "k", 2, start + Duration::from_secs(30))
            .unwrap();
        assert!(
            limits
                .check_at("a", "k", 2, start + Duration::from_secs(59))
                .is_err()
        );
        limits
            .check_at("a", "k", 2, start + Duration::from_secs(60))
            .unwrap();
        assert!(
            limits
                .check_at("a", "k", 2, start + Duration::from_secs(61))
                .is_err()
        );
    }

    #[test]
    fn disabled_limits_never_refuse() {
        let limits = RateLimits::new(false);
        for _ in 0..100 {
            limits.check("a", "k", 1).unwrap();
        }
    }

    #[test]
    fn idle_keys_are_pruned() {
        let limits = RateLimits::new(true);
        let start = Instant::now();
        for i in 0..100 {
            limits.check_at("a", &format!("k{i}"), 5, start).unwrap();
        }
        assert_eq!(limits.tracked_keys(), 100);
        limits
            .check_at("a", "fresh", 5, start + Duration::from_secs(120))
            .unwrap();
        assert_eq!(limits.tracked_keys(), 1);
    }
}
