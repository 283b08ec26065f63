use async_trait::async_trait;
use distr_ports::StoreError;
use distr_ports::store::SettingsStore;

use super::MemoryStore;

#[async_trait]
impl SettingsStore for MemoryStore {
    async fn get_setting(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.read(|s| Ok(s.settings.get(key).cloned()))
    }

    async fn put_setting_if_absent(&self, key: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        self.write(|s| {
            Ok(s.settings
                .entry(key.to_owned())
                .or_insert_with(|| value.to_vec())
                .clone())
        })
    }

    async fn replace_setting(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.write(|s| {
            s.settings.insert(key.to_owned(), value.to_vec());
            Ok(())
        })
    }
}
