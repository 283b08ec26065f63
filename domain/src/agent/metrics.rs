//! Host metrics from `/proc` text (AP §7.9).

use crate::agent::AgentDecisionError;

/// Cumulative CPU time counters of the aggregate `cpu ` line, in ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuTimes {
    /// user + system.
    pub busy: u64,
    /// Sum of every field of the line.
    pub total: u64,
}

const STAT: &str = "/proc/stat";
const MEMINFO: &str = "/proc/meminfo";

fn proc_error(file: &'static str, reason: impl Into<String>) -> AgentDecisionError {
    AgentDecisionError::Proc {
        file,
        reason: reason.into(),
    }
}

/// Reads the aggregate CPU times and the number of logical CPUs (the
/// `cpuN` lines) from `/proc/stat`.
///
/// # Errors
/// Without a `cpu ` line, with fewer than four fields or a non-numeric one.
pub fn parse_proc_stat(text: &str) -> Result<(CpuTimes, u32), AgentDecisionError> {
    let mut times = None;
    let mut cpus = 0u32;
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        match fields.next() {
            Some("cpu") => {
                let values = fields
                    .map(str::parse::<u64>)
                    .collect::<Result<Vec<u64>, _>>()
                    .map_err(|_| proc_error(STAT, "non-numeric cpu time"))?;
                let [user, _nice, system, _idle, ..] = values.as_slice() else {
                    return Err(proc_error(STAT, "too few cpu fields"));
                };
                let total = values.iter().fold(0u64, |sum, v| sum.saturating_add(*v));
                times = Some(CpuTimes {
                    busy: user.saturating_add(*system),
                    total,
                });
            }
            Some(name)
                if name.len() > 3
                    && name.starts_with("cpu")
                    && name.bytes().skip(3).all(|b| b.is_ascii_digit()) =>
            {
                cpus = cpus.saturating_add(1);
            }
            _ => {}
        }
    }
    times
        .map(|times| (times, cpus))
        .ok_or_else(|| proc_error(STAT, "no aggregate cpu line"))
}

/// Reads MemTotal in bytes and the used fraction
/// (MemTotal − MemFree − Buffers − Cached − SReclaimable) ÷ MemTotal,
/// clamped to [0, 1], from `/proc/meminfo`.
///
/// # Errors
/// Without a positive `MemTotal` or without `MemFree`, or with a
/// non-numeric value of either.
pub fn parse_meminfo(text: &str) -> Result<(u64, f64), AgentDecisionError> {
    let (mut total, mut free) = (None, None);
    let mut reclaimable = 0u64;
    for line in text.lines() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if !matches!(
            key,
            "MemTotal" | "MemFree" | "Buffers" | "Cached" | "SReclaimable"
        ) {
            continue;
        }
        let value = parse_kib(rest).ok_or_else(|| proc_error(MEMINFO, format!("invalid {key}")))?;
        match key {
            "MemTotal" => total = Some(value),
            "MemFree" => free = Some(value),
            _ => reclaimable = reclaimable.saturating_add(value),
        }
    }
    let total = total.ok_or_else(|| proc_error(MEMINFO, "no MemTotal"))?;
    let free = free.ok_or_else(|| proc_error(MEMINFO, "no MemFree"))?;
    if total == 0 {
        return Err(proc_error(MEMINFO, "MemTotal is zero"));
    }
    let used = total.saturating_sub(free).saturating_sub(reclaimable);
    #[expect(
        clippy::cast_precision_loss,
        reason = "a usage fraction needs no exact integers"
    )]
    let usage = (used as f64 / total as f64).clamp(0.0, 1.0);
    Ok((total.saturating_mul(1024), usage))
}

/// `  16318480 kB` → 16318480 (KiB).
fn parse_kib(rest: &str) -> Option<u64> {
    let mut parts = rest.split_whitespace();
    let value = parts.next()?.parse().ok()?;
    match parts.next() {
        None | Some("kB") => Some(value),
        Some(_) => None,
    }
}

/// CPU usage between two samples: Δbusy ÷ Δtotal in [0, 1]; 0 without a
/// previous sample or when no time passed.
#[must_use]
pub fn cpu_usage(prev: Option<CpuTimes>, now: CpuTimes) -> f64 {
    let Some(prev) = prev else { return 0.0 };
    let total = now.total.saturating_sub(prev.total);
    if total == 0 {
        return 0.0;
    }
    let busy = now.busy.saturating_sub(prev.busy);
    #[expect(
        clippy::cast_precision_loss,
        reason = "a usage fraction needs no exact integers"
    )]
    let usage = busy as f64 / total as f64;
    usage.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests;
