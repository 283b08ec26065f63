//! Helpers of the real-engine tests: availability gate, test image, unique
//! names and cleanup guards that also run when a test fails.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Label on everything these tests create, so leftovers can be swept.
pub const SUITE_LABEL: &str = "distr-test.suite=docker-engine";
pub const IMAGE: &str = "distr-test/busybox:latest";

/// Runs the docker CLI; `Err` carries its output.
pub fn docker(args: &[&str]) -> Result<String, String> {
    let output = Command::new("docker")
        .args(args)
        .output()
        .map_err(|e| format!("docker {args:?}: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!("docker {args:?}: {text}"))
    }
}

/// Whether the engine answers; otherwise a loud skip, or a failure when
/// `DISTR_REQUIRE_DOCKER=1`.
pub fn engine_available(test: &str) -> bool {
    match docker(&["version", "--format", "{{.Server.APIVersion}}"]) {
        Ok(_) => true,
        Err(error) => {
            assert!(
                std::env::var("DISTR_REQUIRE_DOCKER").as_deref() != Ok("1"),
                "DISTR_REQUIRE_DOCKER=1 but the docker engine is unavailable: {error}"
            );
            eprintln!(
                "\n**********\n*** SKIPPED {test}: no usable docker engine ({error})\n**********\n"
            );
            false
        }
    }
}

/// Builds the offline busybox image with the project script (idempotent).
pub fn ensure_image() {
    if docker(&["image", "inspect", IMAGE]).is_ok() {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/build-test-images.sh");
    let status = Command::new("bash").arg(&script).status().unwrap();
    assert!(status.success(), "{} failed", script.display());
}

/// A unique, lowercase, compose-safe project name.
pub fn unique_project(prefix: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}{}", &id[..10])
}

/// Removes the project's containers and services when dropped.
pub struct Cleanup {
    pub project: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let filter = format!("label=com.docker.compose.project={}", self.project);
        if let Ok(ids) = docker(&["ps", "-aq", "--filter", &filter]) {
            for id in ids.split_whitespace() {
                let _ = docker(&["rm", "-f", id]);
            }
        }
        let filter = format!("label=com.docker.stack.namespace={}", self.project);
        if let Ok(ids) = docker(&["service", "ls", "-q", "--filter", &filter]) {
            for id in ids.split_whitespace() {
                let _ = docker(&["service", "rm", id]);
            }
        }
    }
}

/// Polls `check` until it gives `Some` or the timeout passes.
pub async fn eventually<T, F, Fut>(timeout: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
