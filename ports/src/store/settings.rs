use async_trait::async_trait;

use super::StoreError;

/// Hub-wide key/value settings (generated JWT secret, key check value).
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// Reads a setting.
    async fn get_setting(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Stores `value` under `key` unless a value exists, and returns the stored
    /// value. MUST be atomic: two concurrent callers get the same value back.
    async fn put_setting_if_absent(&self, key: &str, value: &[u8]) -> Result<Vec<u8>, StoreError>;

    /// Stores `value` under `key`, replacing any value (the key check value
    /// after `secrets rekey`, HS §5.2).
    async fn replace_setting(&self, key: &str, value: &[u8]) -> Result<(), StoreError>;
}
