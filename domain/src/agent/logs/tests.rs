use chrono::{SecondsFormat, TimeZone};
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::ids::{DeploymentId, RevisionId};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 6, 7, 8, 9).unwrap()
}

fn log_record(body: String) -> LogRecordInput {
    LogRecordInput {
        deployment_id: DeploymentId::from_uuid(Uuid::from_u128(1)),
        deployment_revision_id: RevisionId::from_uuid(Uuid::from_u128(2)),
        resource: "web-1".to_owned(),
        timestamp: now(),
        severity: "Log".to_owned(),
        body,
    }
}

fn array_len(chunk: &[LogRecordInput]) -> usize {
    serde_json::to_vec(chunk).unwrap().len()
}

#[test]
fn a_leading_nano_timestamp_is_used_and_removed() {
    let parsed = parse_log_line("2024-03-04T05:06:07.123456789Z  hello world \n", now());
    let expected = Utc.with_ymd_and_hms(2024, 3, 4, 5, 6, 7).unwrap()
        + chrono::Duration::nanoseconds(123_456_789);
    assert_eq!(parsed, Some((expected, "hello world".to_owned())));
}

#[test]
fn a_line_without_timestamp_gets_the_collection_time() {
    assert_eq!(
        parse_log_line("  plain text", now()),
        Some((now(), "plain text".to_owned()))
    );
    assert_eq!(
        parse_log_line("2024-13-99 oops", now()),
        Some((now(), "2024-13-99 oops".to_owned()))
    );
}

#[test]
fn empty_lines_are_dropped() {
    assert_eq!(parse_log_line("", now()), None);
    assert_eq!(parse_log_line("   \r", now()), None);
    assert_eq!(parse_log_line("2024-03-04T05:06:07Z   ", now()), None);
    assert_eq!(parse_log_line("2024-03-04T05:06:07.5Z", now()), None);
}

#[test]
fn compose_resource_names_drop_the_project_prefix() {
    assert_eq!(
        compose_resource_name("distr-1a2b3c4d", "distr-1a2b3c4d-web-1"),
        "web-1"
    );
    assert_eq!(
        compose_resource_name("distr-1a2b3c4d", "/distr-1a2b3c4d-db-2"),
        "db-2"
    );
    assert_eq!(
        compose_resource_name("distr-1a2b3c4d", "other-web-1"),
        "other-web-1"
    );
    assert_eq!(compose_resource_name("p", "pweb"), "pweb");
}

#[test]
fn one_hundred_and_one_records_make_two_chunks() {
    let records: Vec<_> = (0..101).map(|i| log_record(format!("line {i}"))).collect();
    let chunks = chunk_log_records(records);
    assert_eq!(
        chunks.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![100, 1]
    );
}

#[test]
fn large_records_are_split_by_bytes() {
    let big = "x".repeat(300 * 1024);
    let records: Vec<_> = (0..7).map(|_| log_record(big.clone())).collect();
    let chunks = chunk_log_records(records);
    assert_eq!(
        chunks.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3, 1]
    );
    assert!(chunks.iter().all(|c| array_len(c) <= MAX_CHUNK_BYTES));
}

#[test]
fn a_record_over_the_byte_limit_travels_alone() {
    let records = vec![
        log_record("a".to_owned()),
        log_record("y".repeat(MAX_CHUNK_BYTES + 1)),
        log_record("b".to_owned()),
    ];
    let chunks = chunk_log_records(records);
    assert_eq!(
        chunks.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![1, 1, 1]
    );
}

proptest! {
    #[test]
    fn parse_log_line_never_panics_and_trims(line in any::<String>()) {
        if let Some((_, body)) = parse_log_line(&line, now()) {
            prop_assert!(!body.is_empty());
            prop_assert_eq!(body.trim(), body.as_str());
        }
    }

    #[test]
    fn a_formatted_timestamp_round_trips(secs in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000, body in "[a-z][a-z ]{0,20}") {
        let ts = Utc.timestamp_opt(secs, nanos).single().unwrap();
        let line = format!("{} {body}", ts.to_rfc3339_opts(SecondsFormat::Nanos, true));
        prop_assert_eq!(parse_log_line(&line, now()), Some((ts, body.trim().to_owned())));
    }

    #[test]
    fn chunks_respect_limits_and_preserve_order(
        bodies in proptest::collection::vec(".{0,300}", 0..60),
        max_records in 1usize..12,
        max_bytes in 200usize..2000,
    ) {
        let records: Vec<_> = bodies.into_iter().map(log_record).collect();
        let chunks = chunk_with_limits(records.clone(), max_records, max_bytes);
        for chunk in &chunks {
            prop_assert!(!chunk.is_empty());
            prop_assert!(chunk.len() <= max_records);
            prop_assert!(chunk.len() == 1 || array_len(chunk) <= max_bytes);
        }
        prop_assert_eq!(chunks.concat(), records);
    }
}
