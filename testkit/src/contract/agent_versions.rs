//! [`distr_ports::store::AgentVersionStore`] cases.

use distr_domain::ids::AgentVersionId;
use distr_ports::{Store, StoreError};

use crate::builders::{AgentVersionBuilder, at_seconds, fresh_uuid, unique_suffix};

/// `upsert_agent_version` MUST return the first row unchanged for a known name.
pub async fn upsert_agent_version_is_idempotent_by_name(store: &dyn Store) {
    let name = format!("1.2.3-{}", unique_suffix());
    let first = AgentVersionBuilder::new(&name)
        .repositories(Some("ghcr.io/a"), None)
        .build();
    assert_eq!(store.upsert_agent_version(&first).await.unwrap(), first);
    let second = AgentVersionBuilder::new(&name)
        .repositories(None, Some("ghcr.io/b"))
        .build();
    assert_eq!(store.upsert_agent_version(&second).await.unwrap(), first);
    assert_eq!(store.get_agent_version(first.id).await.unwrap(), first);
    assert_eq!(
        store.get_agent_version(second.id).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// Concurrent upserts of one name MUST all return the same row.
pub async fn concurrent_upserts_of_one_agent_version_agree(store: &dyn Store) {
    let name = format!("2.0.0-{}", unique_suffix());
    let candidates: Vec<_> = (0..4)
        .map(|_| AgentVersionBuilder::new(&name).build())
        .collect();
    let [a, b, c, d] = [
        &candidates[0],
        &candidates[1],
        &candidates[2],
        &candidates[3],
    ];
    let results = tokio::join!(
        store.upsert_agent_version(a),
        store.upsert_agent_version(b),
        store.upsert_agent_version(c),
        store.upsert_agent_version(d),
    );
    let ids = [
        results.0.unwrap().id,
        results.1.unwrap().id,
        results.2.unwrap().id,
        results.3.unwrap().id,
    ];
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    let stored = store
        .find_agent_version_by_name(&name)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.id, ids[0]);
}

/// `get_agent_version` MUST return `NotFound` for an unknown id.
pub async fn get_unknown_agent_version_is_not_found(store: &dyn Store) {
    let unknown = AgentVersionId::from_uuid(fresh_uuid());
    assert_eq!(
        store.get_agent_version(unknown).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// Versions are found by name and listed oldest first.
pub async fn agent_versions_are_found_by_name_and_listed_oldest_first(store: &dyn Store) {
    let newer = AgentVersionBuilder::new(&format!("b-{}", unique_suffix()))
        .created_at(at_seconds(20))
        .build();
    let older = AgentVersionBuilder::new(&format!("a-{}", unique_suffix()))
        .created_at(at_seconds(10))
        .build();
    store.upsert_agent_version(&newer).await.unwrap();
    store.upsert_agent_version(&older).await.unwrap();
    assert_eq!(
        store.find_agent_version_by_name(&newer.name).await.unwrap(),
        Some(newer.clone())
    );
    assert_eq!(
        store
            .find_agent_version_by_name("no-such-version")
            .await
            .unwrap(),
        None
    );
    let listed: Vec<_> = store
        .list_agent_versions()
        .await
        .unwrap()
        .into_iter()
        .filter(|v| v.id == newer.id || v.id == older.id)
        .collect();
    assert_eq!(listed, vec![older, newer]);
}
