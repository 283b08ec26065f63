use bollard::container::LogOutput;
use chrono::{DateTime, Utc};

use super::*;

fn out(text: &str) -> LogOutput {
    LogOutput::StdOut {
        message: text.as_bytes().to_vec().into(),
    }
}

fn err(text: &str) -> LogOutput {
    LogOutput::StdErr {
        message: text.as_bytes().to_vec().into(),
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn one_frame_per_line_gives_one_line_per_frame_in_order() {
    let mut assembler = LineAssembler::default();
    assembler.push(&out("2026-11-26T18:48:00.1Z a\n"));
    assembler.push(&err("2026-11-26T18:48:00.2Z b\n"));
    assembler.push(&out("2026-11-26T18:48:00.3Z c\r\n"));
    assert_eq!(
        assembler.finish(),
        vec![
            (LogStream::Stdout, "2026-11-26T18:48:00.1Z a".to_owned()),
            (LogStream::Stderr, "2026-11-26T18:48:00.2Z b".to_owned()),
            (LogStream::Stdout, "2026-11-26T18:48:00.3Z c".to_owned()),
        ]
    );
}

#[test]
fn console_chunks_are_split_and_joined_at_newlines() {
    let mut assembler = LineAssembler::default();
    assembler.push(&LogOutput::Console {
        message: "one\ntw".as_bytes().to_vec().into(),
    });
    assembler.push(&LogOutput::Console {
        message: "o\n\nthree".as_bytes().to_vec().into(),
    });
    let lines: Vec<String> = assembler.finish().into_iter().map(|(_, l)| l).collect();
    assert_eq!(lines, ["one", "two", "three"]);
}

#[test]
fn stdin_frames_are_ignored() {
    let mut assembler = LineAssembler::default();
    assembler.push(&LogOutput::StdIn {
        message: "secret\n".as_bytes().to_vec().into(),
    });
    assert!(assembler.finish().is_empty());
}

#[test]
fn lines_before_since_are_dropped_and_untimestamped_lines_kept() {
    let since = at("2026-11-26T18:48:00.500Z");
    assert!(!logged_at_or_after(
        "2026-11-26T18:48:00.499999999Z x",
        since
    ));
    assert!(logged_at_or_after(
        "2026-11-26T18:48:00.500000000Z x",
        since
    ));
    assert!(logged_at_or_after("2026-11-26T19:48:00.6+01:00 x", since));
    assert!(logged_at_or_after("no timestamp here", since));
}

#[test]
fn since_is_floored_to_whole_seconds() {
    assert_eq!(since_seconds(at("2026-11-26T18:48:00.999Z")), 1_795_718_880);
    assert_eq!(since_seconds(at("1960-01-01T00:00:00Z")), 0);
}

#[test]
fn compose_lines_are_named_after_the_service_part_with_severity_log() {
    let lines = vec![
        (LogStream::Stdout, "2026-11-26T18:48:01Z hello".to_owned()),
        (LogStream::Stderr, "2026-11-26T18:48:02Z oops".to_owned()),
        (LogStream::Stdout, "2026-11-26T18:47:59Z old".to_owned()),
    ];
    let shipped = compose_log_lines(
        "distr-1a2b",
        "distr-1a2b-web-1",
        lines,
        at("2026-11-26T18:48:00Z"),
    );
    assert_eq!(shipped.len(), 2);
    assert!(
        shipped
            .iter()
            .all(|l| l.resource == "web-1" && l.severity == "Log")
    );
    assert_eq!(shipped[1].line, "2026-11-26T18:48:02Z oops");
}

#[test]
fn swarm_lines_keep_their_stream_as_severity() {
    let lines = vec![
        (LogStream::Stdout, "2026-11-26T18:48:01Z hello".to_owned()),
        (LogStream::Stderr, "2026-11-26T18:48:02Z oops".to_owned()),
    ];
    let shipped = swarm_log_lines("p_web", lines, at("2026-11-26T18:48:00Z"));
    let severities: Vec<&str> = shipped.iter().map(|l| l.severity.as_str()).collect();
    assert_eq!(severities, ["stdout", "stderr"]);
    assert!(shipped.iter().all(|l| l.resource == "p_web"));
}
