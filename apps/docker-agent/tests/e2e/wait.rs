//! Polling with a deadline: conditions are observed, never assumed after a
//! fixed sleep.

use std::time::Duration;

/// How often conditions are polled.
pub const POLL: Duration = Duration::from_millis(250);

/// `until!(what, timeout, async { … })` awaits the block again and again
/// until it yields `Ok(value)`, which is the result; after `timeout` it
/// panics with the last `Err` observation. A macro rather than a function
/// taking a closure, so the probe can borrow the test's locals freely.
macro_rules! until {
    ($what:expr, $timeout:expr, $probe:expr) => {{
        let timeout: std::time::Duration = $timeout;
        let deadline = std::time::Instant::now() + timeout;
        loop {
            match $probe.await {
                Ok(value) => break value,
                Err(last) => {
                    let last: String = last;
                    assert!(
                        std::time::Instant::now() < deadline,
                        "timed out after {timeout:?} waiting for {}; last observation: {last}",
                        $what
                    );
                }
            }
            tokio::time::sleep($crate::wait::POLL).await;
        }
    }};
}

/// Seconds since boot from `/proc/uptime`: one clock shared by the host and
/// every container, so the agent image's docker wrapper can timestamp calls.
pub fn uptime() -> f64 {
    std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or_default()
}
