//! Coalesced heartbeats (AP §9.1, §11d): a history row only when the message
//! changes, and `last_seen_at` written at most once per 10 s otherwise.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use distr_domain::ids::{HeartbeatChangeId, TargetId};
use distr_ports::StoreError;
use distr_ports::store::HeartbeatOutcome;
use uuid::Uuid;

use crate::convert::micros;
use crate::error::Fail;
use crate::open::SqlStore;
use crate::schema::{deployment_targets as t, target_heartbeat_changes as h};

/// How long an unchanged heartbeat may go unwritten.
const COALESCE_WINDOW: TimeDelta = TimeDelta::seconds(10);

/// What the stored heartbeat says about a new contact.
fn decide(
    stored: Option<(&str, Option<i64>)>,
    at: DateTime<Utc>,
    message: &str,
) -> Option<HeartbeatOutcome> {
    let (current, last_seen) = stored?;
    if current != message {
        return Some(HeartbeatOutcome::MessageChanged);
    }
    match last_seen {
        Some(seen)
            if micros(at) - seen < COALESCE_WINDOW.num_microseconds().unwrap_or(i64::MAX) =>
        {
            Some(HeartbeatOutcome::Coalesced)
        }
        _ => Some(HeartbeatOutcome::Refreshed),
    }
}

pub(super) async fn record(
    store: &SqlStore,
    target: TargetId,
    at: DateTime<Utc>,
    message: &str,
) -> Result<HeartbeatOutcome, StoreError> {
    let key = target.to_string();
    let at_us = micros(at);
    let window_start = at_us.saturating_sub(COALESCE_WINDOW.num_microseconds().unwrap_or(0));
    // The common case (same message within 10 s) is a read without any lock.
    let stored: Option<(Option<String>, Option<i64>)> = with_conn!(store, |conn| {
        Ok(t::table
            .find(&key)
            .select((t::heartbeat_message, t::last_seen_at))
            .first(conn)
            .await
            .optional()?)
    })?;
    let Some((current, last_seen)) = stored else {
        return Ok(HeartbeatOutcome::Coalesced);
    };
    let first_contact = current.is_none();
    let decision = decide(current.as_deref().map(|m| (m, last_seen)), at, message);
    if decision == Some(HeartbeatOutcome::Coalesced) {
        return Ok(HeartbeatOutcome::Coalesced);
    }
    let change_id = HeartbeatChangeId::from_uuid(Uuid::now_v7()).to_string();
    let message = message.to_owned();
    with_write!(store, |conn| {
        conn.transaction::<_, Fail, _>(async |conn| {
            // Conditional updates re-check the state inside the transaction,
            // so concurrent replicas cannot both record the same change.
            let changed = diesel::update(
                t::table.find(&key).filter(
                    t::heartbeat_message
                        .is_null()
                        .or(t::heartbeat_message.ne(&message)),
                ),
            )
            .set((
                t::heartbeat_message.eq(Some(&message)),
                t::heartbeat_message_since.eq(Some(at_us)),
                t::heartbeat_change_id.eq(Some(&change_id)),
                t::last_seen_at.eq(Some(at_us)),
            ))
            .execute(conn)
            .await?;
            if changed > 0 {
                diesel::insert_into(h::table)
                    .values((
                        h::id.eq(&change_id),
                        h::deployment_target_id.eq(&key),
                        h::created_at.eq(at_us),
                        h::message.eq(&message),
                    ))
                    .execute(conn)
                    .await?;
                return Ok(HeartbeatOutcome::MessageChanged);
            }
            let refreshed = diesel::update(
                t::table.find(&key).filter(
                    t::last_seen_at
                        .is_null()
                        .or(t::last_seen_at.le(window_start)),
                ),
            )
            .set(t::last_seen_at.eq(Some(at_us)))
            .execute(conn)
            .await?;
            Ok(if refreshed > 0 {
                HeartbeatOutcome::Refreshed
            } else {
                HeartbeatOutcome::Coalesced
            })
        })
        .await
    })
    .inspect(|outcome| {
        if first_contact && *outcome == HeartbeatOutcome::MessageChanged {
            tracing::debug!(target.id = %target, "first agent contact");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn unchanged_message_within_ten_seconds_is_coalesced() {
        let seen = micros(at(0));
        assert_eq!(
            decide(Some(("OK", Some(seen))), at(9), "OK"),
            Some(HeartbeatOutcome::Coalesced)
        );
        assert_eq!(
            decide(Some(("OK", Some(seen))), at(10), "OK"),
            Some(HeartbeatOutcome::Refreshed)
        );
    }

    #[test]
    fn a_different_message_is_a_change() {
        assert_eq!(
            decide(Some(("OK", Some(0))), at(1), "boom"),
            Some(HeartbeatOutcome::MessageChanged)
        );
    }

    #[test]
    fn a_target_without_heartbeat_is_not_decided_before_the_write() {
        assert_eq!(decide(None, at(1), "OK"), None);
    }
}
