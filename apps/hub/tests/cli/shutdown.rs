//! HS §7 item 46 (HS §6.4): on SIGTERM `/ready` turns 503 at once, held
//! long-polls are answered 304 after `SHUTDOWN_DELAY`, new connections are
//! refused, an in-flight request completes, and the process exits 0 within
//! `SHUTDOWN_GRACE_PERIOD`; a second signal exits 130.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::api::{agent_login, client, docker_target};
use super::process::{Serve, create_admin, get_status};

const DELAY: Duration = Duration::from_secs(2);
const GRACE: Duration = Duration::from_secs(5);

/// Polls `/ready` until it answers `status`, failing after `within`.
fn wait_ready_status(serve: &Serve, status: u16, within: Duration) {
    let started = Instant::now();
    while get_status(serve.port, "/ready") != Some(status) {
        assert!(
            started.elapsed() < within,
            "/ready did not turn {status} within {within:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_a_slow_request_answers_held_long_polls_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let admin = create_admin(dir.path(), &[]);
    let password = admin["password"].as_str().unwrap().to_owned();
    let pat = format!("AccessToken {}", admin["accessToken"].as_str().unwrap());
    let mut serve = Serve::start(
        dir.path(),
        &[("SHUTDOWN_DELAY", "2s"), ("SHUTDOWN_GRACE_PERIOD", "5s")],
    );
    serve.wait_ready(Duration::from_secs(10));
    let base = serve.base();
    let http = client();
    let target = docker_target(&http, &base, &pat, "edge").await;
    let agent = agent_login(&http, &base, &target).await;
    let resources = format!("{base}/api/v1/agent/resources");
    let first = http
        .get(&resources)
        .header("Authorization", &agent)
        .send()
        .await
        .unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let held = tokio::spawn(async move {
        let response = http
            .get(format!("{resources}?wait=30"))
            .header("Authorization", agent)
            .header("If-None-Match", etag)
            .send()
            .await
            .unwrap();
        (Instant::now(), response.status().as_u16())
    });

    // A slow client: the headers and half the body of a login are sent
    // before the signal, the rest only after the listener has stopped.
    let body = format!(r#"{{"email":"ada@example.com","password":"{password}"}}"#);
    let (head, tail) = body.as_bytes().split_at(body.len() / 2);
    let mut slow = tokio::net::TcpStream::connect(("127.0.0.1", serve.port))
        .await
        .unwrap();
    slow.write_all(
        format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    slow.write_all(head).await.unwrap();
    slow.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!held.is_finished(), "the long-poll is held");

    serve.signal("TERM");
    let signalled = Instant::now();
    wait_ready_status(&serve, 503, Duration::from_secs(1));
    assert_eq!(
        get_status(serve.port, "/status"),
        Some(200),
        "serving during the delay"
    );

    // After the delay the held long-poll is answered 304.
    let (answered, status) = tokio::time::timeout(DELAY + Duration::from_secs(3), held)
        .await
        .expect("the long-poll was not released")
        .unwrap();
    assert_eq!(status, 304);
    let after = answered.saturating_duration_since(signalled);
    assert!(
        after >= DELAY - Duration::from_millis(100),
        "released after {after:?}, before the delay"
    );

    // The listener is closed, yet the slow request still completes.
    let refused = Instant::now();
    while get_status(serve.port, "/status").is_some() {
        assert!(
            refused.elapsed() < Duration::from_secs(3),
            "still accepting connections"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    slow.write_all(tail).await.unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""token""#));

    assert_eq!(serve.wait_exit(GRACE), Some(0), "{}", serve.logs());
    assert!(signalled.elapsed() < DELAY + GRACE);
    assert!(serve.logs().contains("in-flight requests drained"));
}

#[test]
fn shutdown_turns_ready_to_503_during_the_delay_and_a_second_signal_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut serve = Serve::start(dir.path(), &[("SHUTDOWN_DELAY", "5s")]);
    serve.wait_ready(Duration::from_secs(10));
    serve.signal("TERM");
    wait_ready_status(&serve, 503, Duration::from_secs(2));
    assert_eq!(
        get_status(serve.port, "/status"),
        Some(200),
        "still serving during the delay"
    );
    serve.signal("TERM");
    assert_eq!(serve.wait_exit(Duration::from_secs(3)), Some(130));
}
