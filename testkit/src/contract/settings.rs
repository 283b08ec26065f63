//! [`distr_ports::store::SettingsStore`] and [`distr_ports::Store::ping`] cases.

use distr_ports::Store;

use crate::builders::unique_suffix;

/// `put_setting_if_absent` keeps and returns the first value.
pub async fn put_setting_if_absent_keeps_first_value(store: &dyn Store) {
    let key = format!("jwt-secret-{}", unique_suffix());
    assert_eq!(
        store.put_setting_if_absent(&key, b"first").await.unwrap(),
        b"first"
    );
    assert_eq!(
        store.put_setting_if_absent(&key, b"second").await.unwrap(),
        b"first"
    );
    assert_eq!(
        store.get_setting(&key).await.unwrap(),
        Some(b"first".to_vec())
    );
}

/// Concurrent callers of `put_setting_if_absent` MUST get the same value back.
pub async fn concurrent_put_setting_if_absent_agree(store: &dyn Store) {
    let key = format!("key-check-{}", unique_suffix());
    let (a, b, c, d) = tokio::join!(
        store.put_setting_if_absent(&key, b"a"),
        store.put_setting_if_absent(&key, b"b"),
        store.put_setting_if_absent(&key, b"c"),
        store.put_setting_if_absent(&key, b"d"),
    );
    let values = [a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap()];
    assert!(values.iter().all(|v| *v == values[0]), "{values:?}");
    assert_eq!(
        store.get_setting(&key).await.unwrap(),
        Some(values[0].clone())
    );
}

/// `get_setting` gives `None` for an unknown key.
pub async fn get_unknown_setting_is_none(store: &dyn Store) {
    assert_eq!(
        store
            .get_setting(&format!("missing-{}", unique_suffix()))
            .await
            .unwrap(),
        None
    );
}

/// A healthy store answers `ping`.
pub async fn ping_succeeds_on_healthy_store(store: &dyn Store) {
    store.ping().await.unwrap();
}

/// `replace_setting` inserts a missing key and overwrites an existing one.
pub async fn replace_setting_overwrites_and_inserts(store: &dyn Store) {
    let key = format!("replace-{}", crate::builders::unique_suffix());
    store.replace_setting(&key, b"one").await.unwrap();
    assert_eq!(
        store.get_setting(&key).await.unwrap(),
        Some(b"one".to_vec())
    );
    store.put_setting_if_absent(&key, b"ignored").await.unwrap();
    store.replace_setting(&key, b"two").await.unwrap();
    assert_eq!(
        store.get_setting(&key).await.unwrap(),
        Some(b"two".to_vec())
    );
}
