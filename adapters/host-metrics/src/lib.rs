//! Host-wide CPU and memory metrics from `/proc` (AP §7.9).

mod proc;

pub use proc::ProcHostMetrics;
