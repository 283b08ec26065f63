//! Agent-side model and decisions (AP §6-§7): local records, the reconcile
//! plan, status classification. Pure.

mod observed;
mod record;

pub use observed::{ContainerState, ServiceState, WorkloadLogLine};
pub use record::DockerRecord;
