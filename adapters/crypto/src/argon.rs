//! The Argon2id cost shared by target secrets (AP §2.2) and passwords
//! (HS §6.6), and the bounded blocking pool every hash runs on.

use std::sync::{Arc, OnceLock};

use argon2::{Algorithm, Argon2, Params, Version};
use distr_ports::HashError;
use tokio::sync::Semaphore;

/// Memory cost in KiB (AP §2.2).
pub const MEMORY_KIB: u32 = 65_536;
/// Time cost (passes).
pub const TIME_COST: u32 = 1;
/// Parallelism (lanes).
pub const PARALLELISM: u32 = 4;
/// Output length in bytes.
pub const OUTPUT_LEN: usize = 32;

/// Argon2id v0x13 with the upstream parameters of AP §2.2.
pub(crate) fn argon2id() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(MEMORY_KIB, TIME_COST, PARALLELISM, Some(OUTPUT_LEN))
        .map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Runs CPU- and memory-heavy hashes off the async runtime, at most one per
/// CPU at a time (HS §6.6), so a login storm cannot starve request handling
/// or exhaust memory (each hash holds 64 MiB).
#[derive(Debug, Clone)]
pub struct HashingPool {
    permits: Arc<Semaphore>,
}

impl HashingPool {
    /// A pool with one permit per available CPU.
    #[must_use]
    pub fn per_cpu() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self::with_permits(cpus)
    }

    /// A pool with `permits` concurrent hashes (at least one).
    #[must_use]
    pub fn with_permits(permits: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits.max(1))),
        }
    }

    /// The process-wide pool that the `new()` constructors share, so password
    /// and target-secret hashing together stay within one hash per CPU.
    #[must_use]
    pub fn shared() -> Self {
        static SHARED: OnceLock<HashingPool> = OnceLock::new();
        SHARED.get_or_init(Self::per_cpu).clone()
    }

    /// Runs `work` on tokio's blocking pool once a permit is free.
    ///
    /// # Errors
    /// `HashError` when the pool is closed or the work panicked.
    pub async fn run<T, F>(&self, work: F) -> Result<T, HashError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| HashError("hashing pool closed".to_owned()))?;
        let joined = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await;
        joined.map_err(|e| HashError(format!("hashing task failed: {e}")))
    }

    /// Permits currently free (for tests and metrics).
    #[must_use]
    pub fn available_permits(&self) -> usize {
        self.permits.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn parameters_are_the_upstream_ones() {
        let params = argon2id().unwrap().params().clone();
        assert_eq!(params.m_cost(), 65_536);
        assert_eq!(params.t_cost(), 1);
        assert_eq!(params.p_cost(), 4);
        assert_eq!(params.output_len(), Some(32));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn pool_never_runs_more_hashes_than_permits() {
        let pool = HashingPool::with_permits(2);
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (pool, running, peak) = (pool.clone(), running.clone(), peak.clone());
                tokio::spawn(async move {
                    pool.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        assert_eq!(pool.available_permits(), 2);
    }

    #[test]
    fn a_zero_permit_pool_still_admits_one_hash() {
        assert_eq!(HashingPool::with_permits(0).available_permits(), 1);
    }
}
