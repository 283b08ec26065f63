//! `METRICS_LISTEN_ADDR` and `METRICS_BEARER_TOKEN` through the real binary
//! (HS §3.10, §6.5).

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use super::process::{Serve, free_port, get_status};

/// `GET path` with an optional `Authorization` value: (status, body).
fn get_text(port: u16, path: &str, authorization: Option<&str>) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let auth = authorization.map_or_else(String::new, |v| format!("Authorization: {v}\r\n"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Some((status, body))
}

/// With `METRICS_LISTEN_ADDR` only the separate listener serves `/metrics`,
/// behind `METRICS_BEARER_TOKEN`; the token is never logged and both
/// listeners shut down cleanly.
#[test]
fn metrics_listen_addr_serves_metrics_on_a_separate_listener() {
    let dir = tempfile::tempdir().unwrap();
    let metrics_port = free_port();
    let token = "metrics-token-7f3a";
    let metrics_addr = format!("127.0.0.1:{metrics_port}");
    let mut serve = Serve::start(
        dir.path(),
        &[
            ("METRICS_LISTEN_ADDR", &metrics_addr),
            ("METRICS_BEARER_TOKEN", token),
            ("LOG_LEVEL", "trace"),
        ],
    );
    serve.wait_ready(Duration::from_secs(10));
    assert_eq!(
        get_status(serve.port, "/metrics"),
        Some(404),
        "not on the main listener"
    );
    assert_eq!(
        get_status(metrics_port, "/ready"),
        Some(404),
        "only /metrics"
    );
    assert_eq!(get_status(metrics_port, "/metrics"), Some(401));
    let wrong = get_text(metrics_port, "/metrics", Some("Bearer metrics-token-7f3b"));
    assert_eq!(wrong.map(|(s, _)| s), Some(401));
    let (status, body) =
        get_text(metrics_port, "/metrics", Some(&format!("Bearer {token}"))).unwrap();
    assert_eq!(status, 200);
    for family in [
        "distr_build_info",
        "distr_db_pool_connections",
        "distr_targets",
    ] {
        assert!(body.contains(&format!("# TYPE {family} gauge")), "{body}");
    }
    assert!(
        body.contains("distr_db_pool_connections{state=\"idle\"}"),
        "{body}"
    );

    serve.stop();
    let logs = serve.logs();
    assert!(logs.contains("metrics listening"), "{logs}");
    assert!(!logs.contains(token), "the token is logged");
    assert!(
        get_status(metrics_port, "/metrics").is_none(),
        "the metrics listener closed"
    );
}
