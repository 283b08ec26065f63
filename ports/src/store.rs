//! Store ports: one trait per aggregate, and [`Store`] combining them.
//!
//! Scoping rule: methods taking an `OrganizationId` MUST behave as if rows of
//! other organizations did not exist (`NotFound`, or absent from lists).

mod access_tokens;
mod agent_versions;
mod applications;
mod customers;
mod deployments;
mod error;
mod fleet;
mod organizations;
mod retention;
mod secrets;
mod settings;
mod statuses;
mod targets;
mod telemetry;
mod users;

pub use access_tokens::AccessTokenStore;
pub use agent_versions::AgentVersionStore;
pub use applications::ApplicationStore;
pub use customers::{CustomerCounts, CustomerStore};
pub use deployments::DeploymentStore;
pub use error::StoreError;
pub use fleet::{CONNECTION_STATES, DEPLOYMENT_HEALTHS, FleetCounts, FleetStore};
pub use organizations::OrganizationStore;
pub use retention::{LeaseRequest, RetentionStore};
pub use secrets::{LastGoodPayloadStore, SecretStore};
pub use settings::SettingsStore;
pub use statuses::{Cursor, PageRequest, StatusStore};
pub use targets::{HeartbeatOutcome, TargetStore};
pub use telemetry::{LogStore, MetricsStore};
pub use users::UserStore;

use async_trait::async_trait;

/// Every store port, as one object the Hub holds as `Arc<dyn Store>`.
#[async_trait]
pub trait Store:
    OrganizationStore
    + UserStore
    + AccessTokenStore
    + CustomerStore
    + ApplicationStore
    + AgentVersionStore
    + TargetStore
    + DeploymentStore
    + StatusStore
    + MetricsStore
    + LogStore
    + SecretStore
    + LastGoodPayloadStore
    + SettingsStore
    + RetentionStore
    + FleetStore
    + Send
    + Sync
    + std::fmt::Debug
{
    /// Checks the backend answers. MUST return `Unavailable` when it does not.
    async fn ping(&self) -> Result<(), StoreError>;
}
