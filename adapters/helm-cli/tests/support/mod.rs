//! Helpers of the helm adapter's integration tests: the skip rule, the test
//! chart and a loopback HTTP chart repository.

use std::path::{Path, PathBuf};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Whether helm 3 is on `PATH`; without it the caller skips loudly, or fails
/// with `DISTR_REQUIRE_HELM=1`.
pub fn helm_available() -> bool {
    let ok = std::process::Command::new("helm")
        .args(["version", "--short"])
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout.starts_with(b"v3."));
    if !ok {
        assert!(
            std::env::var("DISTR_REQUIRE_HELM").as_deref() != Ok("1"),
            "DISTR_REQUIRE_HELM=1 but no helm 3 on PATH (scripts/setup-test-env.sh installs it)"
        );
        eprintln!(
            "\n*** SKIPPED: no helm 3 on PATH; run scripts/setup-test-env.sh (DISTR_REQUIRE_HELM=1 makes this fail) ***\n"
        );
    }
    ok
}

/// The test chart.
pub fn fixture_chart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web")
}

/// `helm package` + `helm repo index` into `dir`.
pub fn build_repository(dir: &Path, url: &str) {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("helm")
            .args(args)
            .output()
            .expect("run helm");
        assert!(
            out.status.success(),
            "helm {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let chart = fixture_chart();
    run(&[
        "package",
        chart.to_str().unwrap(),
        "--destination",
        dir.to_str().unwrap(),
    ]);
    run(&["repo", "index", dir.to_str().unwrap(), "--url", url]);
}

/// A static file server on loopback (just enough HTTP/1.0 for helm).
pub async fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let dir = dir.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]);
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let file = dir.join(path.trim_start_matches('/'));
                let response = match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => {
                        let mut r = format!(
                            "HTTP/1.0 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        r.extend(body);
                        r
                    }
                    _ => b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
                };
                let _ = socket.write_all(&response).await;
            });
        }
    });
    url
}
