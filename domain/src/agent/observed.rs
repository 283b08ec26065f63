//! What the agent observes on the runtime, as plain data for the pure checks.

/// One container of a compose project (AP §7.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerState {
    /// Container name, e.g. `distr-1a2b3c4d-web-1`.
    pub name: String,
    /// Engine state: `running`, `restarting`, `exited`, ...
    pub state: String,
    /// Health: `healthy`, `starting`, `unhealthy`, `` or `none`.
    pub health: String,
    /// Human status text, e.g. `Up 3 minutes (healthy)`.
    pub status: String,
    /// Exit code.
    pub exit_code: i64,
}

/// One service of a swarm stack (AP §7.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceState {
    /// Service name.
    pub name: String,
    /// `replicated-job` or `global-job` services are skipped by the check.
    pub is_job: bool,
    /// Running tasks.
    pub running: u64,
    /// Desired tasks.
    pub desired: u64,
}

/// One collected workload log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadLogLine {
    /// Container name minus the `<project>-` prefix (compose) or service name (swarm).
    pub resource: String,
    /// `Log` (compose), `stdout`/`stderr` (swarm).
    pub severity: String,
    /// The raw line, usually starting with an RFC 3339 timestamp and a space.
    pub line: String,
}
