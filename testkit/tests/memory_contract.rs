//! The store contract suite against [`MemoryStore`]: the fake must not lie.

use std::sync::Arc;

use distr_testkit::{MemoryStore, StoreFixture};

async fn memory_store() -> StoreFixture {
    StoreFixture::new(Arc::new(MemoryStore::new()))
}

mod memory {
    distr_testkit::store_contract_tests!(super::memory_store);
}
