//! The Postgres [`ChangeFeed`] (HS §6.2, AP §11j): `publish` issues
//! `pg_notify` on a pooled connection, and each process holds one dedicated
//! `LISTEN` connection that fans notifications out to in-process subscribers.
//! Held long-polls wait on those subscribers and hold no pool connection.
//! When the listening connection fails it is re-established, and every
//! subscriber is woken once (notifications may have been missed meanwhile).

use std::time::Duration;

use async_trait::async_trait;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, RunQueryDsl};
use distr_domain::ids::TargetId;
use distr_ports::{ChangeFeed, ChangeSubscription};
use futures::StreamExt as _;
use tokio::sync::broadcast;

use crate::open::{SqlStore, SqlStoreError};
use crate::pool::{PgConn, Pools};

/// The notification channel.
const CHANNEL: &str = "distr_changes";

/// Events buffered per subscriber before it lags.
const CAPACITY: usize = 1024;

/// Pause before re-establishing a failed `LISTEN` connection.
const RECONNECT_DELAY: Duration = Duration::from_millis(500);

/// Change notification across every replica sharing one Postgres database.
#[derive(Debug)]
pub struct PgChangeFeed {
    store: SqlStore,
    sender: broadcast::Sender<TargetId>,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for PgChangeFeed {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

async fn listen(url: &str) -> Result<PgConn, SqlStoreError> {
    let mut conn = PgConn::establish(url)
        .await
        .map_err(|e| SqlStoreError::Connect(e.to_string()))?;
    diesel::sql_query(format!("LISTEN {CHANNEL}"))
        .execute(&mut conn)
        .await
        .map_err(|e| SqlStoreError::Connect(e.to_string()))?;
    Ok(conn)
}

/// Forwards notifications until the connection fails, then reconnects.
async fn run_listener(url: String, mut conn: PgConn, sender: broadcast::Sender<TargetId>) {
    loop {
        {
            let mut stream = std::pin::pin!(conn.notifications_stream());
            while let Some(Ok(notification)) = stream.next().await {
                let target = notification
                    .payload
                    .parse()
                    .map(TargetId::from_uuid)
                    .unwrap_or_else(|_| TargetId::nil());
                let _ = sender.send(target);
            }
        }
        tracing::warn!("change-feed LISTEN connection lost; reconnecting");
        conn = loop {
            tokio::time::sleep(RECONNECT_DELAY).await;
            match listen(&url).await {
                Ok(conn) => break conn,
                Err(err) => tracing::warn!(error = %err, "change-feed reconnect failed"),
            }
        };
        // Changes published while disconnected were missed: wake everyone.
        let _ = sender.send(TargetId::nil());
        tracing::info!("change-feed LISTEN connection re-established");
    }
}

impl PgChangeFeed {
    /// Opens the dedicated `LISTEN` connection on `url` and publishes through
    /// `store`'s pool. Call from within a tokio runtime.
    ///
    /// # Errors
    /// `InvalidUrl` when `store` is not on Postgres, `Connect` when the
    /// listening connection cannot be established.
    pub async fn start(url: &str, store: SqlStore) -> Result<Self, SqlStoreError> {
        if !matches!(store.inner.pools, Pools::Postgres(_)) {
            return Err(SqlStoreError::InvalidUrl(
                "the Postgres change feed needs a Postgres store".to_owned(),
            ));
        }
        let conn = listen(url).await?;
        let sender = broadcast::channel(CAPACITY).0;
        let listener = tokio::spawn(run_listener(url.to_owned(), conn, sender.clone()));
        Ok(Self {
            store,
            sender,
            listener,
        })
    }
}

#[async_trait]
impl ChangeFeed for PgChangeFeed {
    async fn publish(&self, target: TargetId) {
        let Pools::Postgres(pool) = &self.store.inner.pools else {
            return;
        };
        let sent = async {
            let mut conn = pool.get().await.map_err(|e| e.to_string())?;
            diesel::sql_query("SELECT pg_notify($1, $2)")
                .bind::<Text, _>(CHANNEL)
                .bind::<Text, _>(target.to_string())
                .execute(&mut *conn)
                .await
                .map_err(|e| e.to_string())
        }
        .await;
        if let Err(err) = sent {
            // Waiters still see the change at their deadline; never fail the write.
            tracing::warn!(error = %err, target.id = %target, "cannot publish a change");
        }
    }

    fn subscribe(&self) -> Box<dyn ChangeSubscription> {
        Box::new(Subscription {
            receiver: self.sender.subscribe(),
        })
    }
}

struct Subscription {
    receiver: broadcast::Receiver<TargetId>,
}

#[async_trait]
impl ChangeSubscription for Subscription {
    async fn next(&mut self) -> Option<TargetId> {
        match self.receiver.recv().await {
            Ok(target) => Some(target),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(TargetId::nil()),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}
