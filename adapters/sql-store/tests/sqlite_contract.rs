//! The store contract suite, and migration behaviour, on SQLite files.

use std::sync::Arc;

use distr_sql_store::{Backend, OpenOptions, SqlStore};
use distr_testkit::contract::StoreFixture;

/// A migrated store on a fresh database file in its own temp dir.
async fn open_sqlite() -> StoreFixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("distr.db").display());
    let store = SqlStore::open(&url, OpenOptions { max_connections: 4 })
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    StoreFixture::with_guard(Arc::new(store), dir)
}

mod sqlite {
    distr_testkit::store_contract_tests!(super::open_sqlite);
}

#[tokio::test]
async fn a_missing_sqlite_file_and_directory_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("distr.db");
    assert!(!path.exists());
    let store = SqlStore::open(
        &format!("sqlite://{}", path.display()),
        OpenOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(path.exists());
}

#[tokio::test]
async fn migrations_apply_once_and_report_their_status() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("distr.db").display());
    let store = SqlStore::open(&url, OpenOptions::default()).await.unwrap();
    let before = store.migration_status().await.unwrap();
    assert!(!before.is_empty());
    assert!(before.iter().all(|(_, applied)| !applied));

    let applied = store.migrate().await.unwrap();
    assert_eq!(
        applied,
        before
            .iter()
            .map(|(name, _)| name.clone())
            .collect::<Vec<_>>()
    );
    assert!(
        store.migrate().await.unwrap().is_empty(),
        "second migrate applies nothing"
    );
    assert!(
        store
            .migration_status()
            .await
            .unwrap()
            .iter()
            .all(|(_, applied)| *applied)
    );
}

#[tokio::test]
async fn a_reopened_file_keeps_its_rows() {
    use distr_ports::store::SettingsStore;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("distr.db").display());
    let store = SqlStore::open(&url, OpenOptions::default()).await.unwrap();
    store.migrate().await.unwrap();
    store.put_setting_if_absent("k", b"v").await.unwrap();
    drop(store);
    let reopened = SqlStore::open(&url, OpenOptions::default()).await.unwrap();
    assert!(reopened.migrate().await.unwrap().is_empty());
    assert_eq!(
        reopened.get_setting("k").await.unwrap(),
        Some(b"v".to_vec())
    );
}

#[tokio::test]
async fn the_in_memory_database_works_for_tests() {
    use distr_ports::store::OrganizationStore;
    let store = SqlStore::open("sqlite::memory:", OpenOptions::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert_eq!(store.count_organizations().await.unwrap(), 0);
}

#[tokio::test]
async fn an_unsupported_url_is_rejected() {
    let err = SqlStore::open("mysql://localhost/db", OpenOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, distr_sql_store::SqlStoreError::InvalidUrl(_)));
}
