//! [`HostMetrics`] from `<proc root>/stat` and `<proc root>/meminfo`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;
use distr_domain::agent::{CpuTimes, cpu_usage, parse_meminfo, parse_proc_stat};
use distr_domain::protocol::MetricsReport;
use distr_ports::agent::{HostMetrics, MetricsError};

/// Reads `/proc` (or a fake root in tests) and keeps the previous CPU
/// sample, because CPU usage is a delta between two reads.
#[derive(Debug)]
pub struct ProcHostMetrics {
    root: PathBuf,
    previous: Mutex<Option<CpuTimes>>,
}

impl Default for ProcHostMetrics {
    fn default() -> Self {
        Self::new(PathBuf::from("/proc"))
    }
}

impl ProcHostMetrics {
    /// Metrics from `proc_root` (normally `/proc`).
    #[must_use]
    pub fn new(proc_root: PathBuf) -> Self {
        Self {
            root: proc_root,
            previous: Mutex::new(None),
        }
    }

    fn read(&self, file: &str) -> Result<String, MetricsError> {
        let path = self.root.join(file);
        std::fs::read_to_string(&path).map_err(|e| MetricsError(format!("{}: {e}", path.display())))
    }

    /// One synchronous sample; [`HostMetrics::sample`] runs it off the runtime.
    ///
    /// # Errors
    /// When a file cannot be read or parsed; the previous CPU sample is then kept.
    pub fn sample_now(&self) -> Result<MetricsReport, MetricsError> {
        let (times, cpus) =
            parse_proc_stat(&self.read("stat")?).map_err(|e| MetricsError(e.to_string()))?;
        let (memory_bytes, memory_usage) =
            parse_meminfo(&self.read("meminfo")?).map_err(|e| MetricsError(e.to_string()))?;
        let cpu_usage = {
            // A poisoned lock only means another sample panicked; the stored
            // counters are still plain numbers.
            let mut previous = self.previous.lock().unwrap_or_else(|p| p.into_inner());
            let usage = cpu_usage(*previous, times);
            *previous = Some(times);
            usage
        };
        Ok(MetricsReport {
            cpu_cores_millis: i64::from(cpus).saturating_mul(1000),
            cpu_usage,
            memory_bytes: i64::try_from(memory_bytes).unwrap_or(i64::MAX),
            memory_usage,
        })
    }

    /// The directory read from.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }
}

#[async_trait]
impl HostMetrics for ProcHostMetrics {
    async fn sample(&self) -> Result<MetricsReport, MetricsError> {
        // Reading two small procfs files never blocks for long; a blocking
        // task would need an owned copy of the previous-sample state.
        self.sample_now()
    }
}

#[cfg(test)]
mod tests;
