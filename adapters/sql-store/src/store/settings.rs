use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use distr_ports::StoreError;
use distr_ports::store::SettingsStore;

use crate::open::SqlStore;
use crate::schema::hub_settings;

#[async_trait]
impl SettingsStore for SqlStore {
    async fn get_setting(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        with_conn!(self, |conn| {
            Ok(hub_settings::table
                .find(key)
                .select(hub_settings::value)
                .first::<Vec<u8>>(conn)
                .await
                .optional()?)
        })
    }

    async fn put_setting_if_absent(&self, key: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        with_write!(self, |conn| {
            // ON CONFLICT DO NOTHING makes the first writer win, also across replicas.
            diesel::insert_into(hub_settings::table)
                .values((hub_settings::key.eq(key), hub_settings::value.eq(value)))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            Ok(hub_settings::table
                .find(key)
                .select(hub_settings::value)
                .first::<Vec<u8>>(conn)
                .await?)
        })
    }

    async fn replace_setting(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        with_write!(self, |conn| {
            diesel::insert_into(hub_settings::table)
                .values((hub_settings::key.eq(key), hub_settings::value.eq(value)))
                .on_conflict(hub_settings::key)
                .do_update()
                .set(hub_settings::value.eq(value))
                .execute(conn)
                .await?;
            Ok(())
        })
    }
}
