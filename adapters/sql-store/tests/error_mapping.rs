//! How database errors surface as `StoreError`s, identically on both backends:
//! each unique constraint names itself, a missing parent is `NotFound`, and a
//! duplicate primary key names its table.

use std::sync::Arc;

use distr_ports::{Store, StoreError};
use distr_sql_store::{OpenOptions, SqlStore};
use distr_testkit::builders::{OrganizationBuilder, SecretBuilder, UserBuilder};
use distr_testkit::contract::seed;
use distr_testkit::postgres::PgCluster;

async fn sqlite(dir: &tempfile::TempDir) -> Arc<dyn Store> {
    let url = format!("sqlite://{}", dir.path().join("distr.db").display());
    let store = SqlStore::open(&url, OpenOptions::default())
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate");
    Arc::new(store)
}

async fn postgres() -> Arc<dyn Store> {
    let url = PgCluster::shared()
        .expect("start PostgreSQL")
        .create_database()
        .await
        .expect("database");
    let store = SqlStore::open(&url, OpenOptions::default())
        .await
        .expect("open postgres");
    store.migrate().await.expect("migrate");
    Arc::new(store)
}

async fn conflicts_are_named_after_their_constraint(store: &dyn Store) {
    let org = seed::organization(store).await;
    let mut twin = OrganizationBuilder::new().build();
    twin.slug.clone_from(&org.slug);
    assert_eq!(
        store.create_organization(&twin).await,
        Err(StoreError::Conflict("organization slug".into()))
    );
    let mut same_id = org.clone();
    same_id.slug = None;
    assert_eq!(
        store.create_organization(&same_id).await,
        Err(StoreError::Conflict("organization id".into()))
    );

    let user = UserBuilder::new().build();
    store.create_user(&user).await.unwrap();
    let mut same_email = UserBuilder::new().build();
    same_email.email = user.email.clone();
    assert_eq!(
        store.create_user(&same_email).await,
        Err(StoreError::Conflict("user email".into()))
    );

    // Vendor-level secrets (NULL customer) collide with each other.
    store
        .create_secret(&SecretBuilder::new(org.id, "DB_PASSWORD", b"c1").build())
        .await
        .unwrap();
    let again = SecretBuilder::new(org.id, "DB_PASSWORD", b"c2").build();
    assert_eq!(
        store.create_secret(&again).await,
        Err(StoreError::Conflict("secret key".into()))
    );
}

async fn a_missing_parent_is_not_found(store: &dyn Store) {
    let orphan = SecretBuilder::new(OrganizationBuilder::new().build().id, "KEY", b"c").build();
    assert_eq!(
        store.create_secret(&orphan).await,
        Err(StoreError::NotFound)
    );
}

#[tokio::test]
async fn sqlite_conflicts_are_named_after_their_constraint() {
    let dir = tempfile::tempdir().unwrap();
    conflicts_are_named_after_their_constraint(&*sqlite(&dir).await).await;
}

#[tokio::test]
async fn postgres_conflicts_are_named_after_their_constraint() {
    conflicts_are_named_after_their_constraint(&*postgres().await).await;
}

#[tokio::test]
async fn sqlite_missing_parent_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    a_missing_parent_is_not_found(&*sqlite(&dir).await).await;
}

#[tokio::test]
async fn postgres_missing_parent_is_not_found() {
    a_missing_parent_is_not_found(&*postgres().await).await;
}
