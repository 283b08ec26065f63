//! Workload log records (AP §6.6, §7.8): line parsing and upload chunks.

use chrono::{DateTime, Utc};

use crate::protocol::LogRecordInput;

/// At most this many records per `PUT /agent/logs`.
pub const MAX_RECORDS_PER_CHUNK: usize = 100;
/// At most this many bytes of JSON per `PUT /agent/logs`.
pub const MAX_CHUNK_BYTES: usize = 1024 * 1024;

/// Splits an optional leading RFC 3339 (nano) timestamp and a space off a
/// line; without one the collection time is used. The rest is trimmed;
/// `None` for an empty line.
#[must_use]
pub fn parse_log_line(line: &str, collected_at: DateTime<Utc>) -> Option<(DateTime<Utc>, String)> {
    // A bare timestamp is an empty line whose separating space was trimmed away.
    if DateTime::parse_from_rfc3339(line.trim()).is_ok() {
        return None;
    }
    let (timestamp, rest) = match line.split_once(' ') {
        Some((head, rest)) => match DateTime::parse_from_rfc3339(head) {
            Ok(ts) => (ts.with_timezone(&Utc), rest),
            Err(_) => (collected_at, line),
        },
        None => (collected_at, line),
    };
    let body = rest.trim();
    (!body.is_empty()).then(|| (timestamp, body.to_owned()))
}

/// Splits records, in order, into chunks of at most 100 records and at most
/// 1 MiB of JSON. A single record larger than 1 MiB travels alone: it
/// cannot be split without changing it.
#[must_use]
pub fn chunk_log_records(records: Vec<LogRecordInput>) -> Vec<Vec<LogRecordInput>> {
    chunk_with_limits(records, MAX_RECORDS_PER_CHUNK, MAX_CHUNK_BYTES)
}

fn chunk_with_limits(
    records: Vec<LogRecordInput>,
    max_records: usize,
    max_bytes: usize,
) -> Vec<Vec<LogRecordInput>> {
    let mut chunks = Vec::new();
    let mut current: Vec<LogRecordInput> = Vec::new();
    // JSON array size so far: `[` + elements + commas + `]`.
    let mut current_bytes = 2usize;
    for record in records {
        let size = json_len(&record);
        let added = size + usize::from(!current.is_empty());
        if !current.is_empty()
            && (current.len() >= max_records || current_bytes.saturating_add(added) > max_bytes)
        {
            chunks.push(std::mem::take(&mut current));
            current_bytes = 2;
        }
        current_bytes = current_bytes.saturating_add(size + usize::from(!current.is_empty()));
        current.push(record);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

fn json_len(record: &LogRecordInput) -> usize {
    // Serializing this struct cannot fail (string keys, no floats); if it
    // ever did, the record is treated as filling a chunk on its own.
    serde_json::to_vec(record).map_or(usize::MAX / 2, |json| json.len())
}

/// The `resource` of a compose container's log records: its name minus the
/// `<project>-` prefix (`distr-1a2b3c4d-web-1` → `web-1`).
#[must_use]
pub fn compose_resource_name(project: &str, container: &str) -> String {
    let container = container.strip_prefix('/').unwrap_or(container);
    container
        .strip_prefix(project)
        .and_then(|rest| rest.strip_prefix('-'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(container)
        .to_owned()
}

#[cfg(test)]
mod tests;
