//! Conversions between domain values and portable column values.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use distr_domain::names::Name;
use uuid::Uuid;

use crate::error::{Fail, corrupt};

/// Microseconds since the Unix epoch, the stored form of every time.
pub(crate) const fn micros(time: DateTime<Utc>) -> i64 {
    time.timestamp_micros()
}

/// The stored form of an optional time.
pub(crate) fn opt_micros(time: Option<DateTime<Utc>>) -> Option<i64> {
    time.map(micros)
}

/// Reads a stored time.
pub(crate) fn time(value: i64) -> Result<DateTime<Utc>, Fail> {
    DateTime::from_timestamp_micros(value)
        .ok_or_else(|| corrupt(format!("time out of range: {value}")))
}

/// Reads an optional stored time.
pub(crate) fn opt_time(value: Option<i64>) -> Result<Option<DateTime<Utc>>, Fail> {
    value.map(time).transpose()
}

/// Reads a stored id into its typed wrapper.
pub(crate) fn id<T: From<Uuid>>(value: &str) -> Result<T, Fail> {
    Uuid::parse_str(value)
        .map(T::from)
        .map_err(|_| corrupt(format!("invalid id {value:?}")))
}

/// Reads an optional stored id.
pub(crate) fn opt_id<T: From<Uuid>>(value: Option<&str>) -> Result<Option<T>, Fail> {
    value.map(id).transpose()
}

/// The stored form of an optional id.
pub(crate) fn opt_text<T: ToString>(value: Option<T>) -> Option<String> {
    value.map(|v| v.to_string())
}

/// Reads a stored enum or other parsed value.
pub(crate) fn parse<T: FromStr>(field: &str, value: &str) -> Result<T, Fail> {
    value
        .parse()
        .map_err(|_| corrupt(format!("invalid {field} {value:?}")))
}

/// Reads a stored display name.
pub(crate) fn name(value: &str) -> Result<Name, Fail> {
    Name::parse("name", value).map_err(corrupt)
}

/// Clamps a page size to the 1–100 rows the ports allow.
pub(crate) fn page_limit(limit: u32) -> i64 {
    i64::from(limit.clamp(1, 100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_at_microsecond_precision() {
        let t = DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap();
        assert_eq!(time(micros(t)).unwrap(), t);
    }

    #[test]
    fn garbage_ids_are_reported_as_corrupt() {
        assert!(id::<distr_domain::ids::TargetId>("nope").is_err());
    }
}
