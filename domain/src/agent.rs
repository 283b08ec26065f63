//! Agent-side model and decisions (AP §6-§7): local records, the reconcile
//! plan, status classification. Pure.

mod record;

pub use record::DockerRecord;
