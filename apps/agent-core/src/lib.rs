//! `distr-agent-core`: the orchestration both Distr agents share (AP §6):
//! obtaining the desired state (plain polling, ETag and long-poll), the tick
//! loop, progress reports during long operations, the metrics task, workload
//! log shipping and the shipping of the agent's own log records.
//!
//! It depends on `distr-domain` and `distr-ports` only; the agent binaries
//! plug their adapters in and keep their own reconcile step.

mod desired_state;
mod log_shipper;
mod metrics_task;
mod process;
mod progress;
mod self_logs;
mod swappable_hub;
mod task;
mod tick_loop;
mod timings;

pub use desired_state::{DesiredStateSource, FetchError};
pub use log_shipper::{LogShipper, LogSource, LogSubject};
pub use metrics_task::MetricsTask;
pub use process::{
    SystemClock, VERSION_NAME_VAR, init_logging, release_name, release_name_from_env,
    run_on_runtime, shutdown_signal,
};
pub use progress::ProgressReporter;
pub use self_logs::{
    SELF_LOG_BATCH, SELF_LOG_CAP, SelfLogBuffer, SelfLogLayer, SelfLogShipper, self_log_pipeline,
};
pub use swappable_hub::SwappableHub;
pub use task::AbortOnDrop;
pub use tick_loop::{TickLoop, TickTrigger};
pub use timings::AgentTimings;
