//! `distr-ports`: the async traits the Distr core needs from the outside.
//!
//! Every method documents its contract as MUST sentences; the contract suites
//! in `distr-testkit` test those sentences one for one against every adapter.

pub mod agent;
pub mod changes;
pub mod clock;
pub mod crypto;
pub mod store;

pub use changes::{ChangeFeed, ChangeSubscription};
pub use clock::Clock;
pub use crypto::{CipherError, HashError, PasswordHasher, SecretCipher, TargetSecretVerifier};
pub use store::{Store, StoreError};
