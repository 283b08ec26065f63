//! The configuration replicas on one PostgreSQL database share: a fresh
//! database on the test process's cluster (testkit, or `PG_TEST_URL`), one
//! `JWT_SECRET` and one `SECRETS_ENCRYPTION_KEY`.

use distr_testkit::postgres::PgCluster;

/// 32 bytes of `0x0b`, base64.
pub const JWT_SECRET: &str = "CwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCws=";
/// 32 bytes of `0x0c`, base64.
pub const ENCRYPTION_KEY: &str = "DAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw=";

/// One empty database and the shared secrets.
pub struct SharedDatabase {
    url: String,
}

impl SharedDatabase {
    /// Creates an empty database on the cluster of this test process.
    pub async fn create() -> Self {
        let cluster = PgCluster::shared().expect("start PostgreSQL");
        Self {
            url: cluster.create_database().await.expect("create database"),
        }
    }

    /// The environment every replica (and one-shot command) gets.
    pub fn env(&self) -> Vec<(&str, &str)> {
        vec![
            ("DATABASE_URL", self.url.as_str()),
            ("JWT_SECRET", JWT_SECRET),
            ("SECRETS_ENCRYPTION_KEY", ENCRYPTION_KEY),
        ]
    }
}
