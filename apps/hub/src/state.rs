//! The shared state every handler receives.

use std::sync::Arc;

use distr_ports::{ChangeFeed, Clock, PasswordHasher, SecretCipher, Store, TargetSecretVerifier};

use crate::config::HubConfig;
use crate::metrics::Metrics;
use crate::rate_limit::RateLimits;

/// Everything a handler needs, cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Parsed configuration.
    pub config: Arc<HubConfig>,
    /// All stores.
    pub store: Arc<dyn Store>,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Encryption of secrets and last-good payloads.
    pub cipher: Arc<dyn SecretCipher>,
    /// User password hashing.
    pub passwords: Arc<dyn PasswordHasher>,
    /// Target secret generation and verification.
    pub target_secrets: Arc<dyn TargetSecretVerifier>,
    /// Long-poll wake-ups.
    pub changes: Arc<dyn ChangeFeed>,
    /// Rate limiters (per replica).
    pub rate_limits: Arc<RateLimits>,
    /// Prometheus series (HS §6.5).
    pub metrics: Arc<Metrics>,
    /// Flipped when shutdown starts: `/ready` turns 503 and held long-polls answer 304.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}
