//! `distr-testkit`: fakes, builders, the store contract suite and a throwaway
//! PostgreSQL cluster for Distr tests.

pub mod agent_fakes;
pub mod builders;
pub mod clock;
pub mod contract;
pub mod memory;
pub mod postgres;

pub use clock::ManualClock;
pub use contract::StoreFixture;
pub use memory::MemoryStore;
