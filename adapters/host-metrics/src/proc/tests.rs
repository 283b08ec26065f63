use std::path::Path;

use distr_ports::agent::HostMetrics;

use super::*;

const MEMINFO: &str = "MemTotal:        1000 kB\nMemFree:          300 kB\nMemAvailable:     600 kB\nBuffers:          100 kB\nCached:           100 kB\nSReclaimable:      50 kB\n";

fn stat(user: u64, system: u64, idle: u64) -> String {
    format!(
        "cpu  {user} 0 {system} {idle} 0 0 0 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\ncpu1 1 0 1 1 0 0 0 0 0 0\nintr 1 2 3\nctxt 42\n"
    )
}

fn write(dir: &Path, stat_text: &str, meminfo: &str) {
    std::fs::write(dir.join("stat"), stat_text).unwrap();
    std::fs::write(dir.join("meminfo"), meminfo).unwrap();
}

#[tokio::test]
async fn first_sample_reports_cores_memory_and_zero_cpu() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &stat(100, 100, 800), MEMINFO);
    let metrics = ProcHostMetrics::new(dir.path().to_path_buf());
    let report = metrics.sample().await.unwrap();
    assert_eq!(report.cpu_cores_millis, 2000);
    assert_eq!(report.memory_bytes, 1000 * 1024);
    // (1000 - 300 - 100 - 100 - 50) / 1000
    assert!(
        (report.memory_usage - 0.45).abs() < 1e-9,
        "{}",
        report.memory_usage
    );
    assert!(report.cpu_usage.abs() < f64::EPSILON);
}

#[tokio::test]
async fn second_sample_reports_the_busy_share_since_the_first() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &stat(100, 100, 800), MEMINFO);
    let metrics = ProcHostMetrics::new(dir.path().to_path_buf());
    metrics.sample().await.unwrap();
    // +150 busy (100 user + 50 system) of +200 total.
    write(dir.path(), &stat(200, 150, 850), MEMINFO);
    let report = metrics.sample().await.unwrap();
    assert!(
        (report.cpu_usage - 0.75).abs() < 1e-9,
        "{}",
        report.cpu_usage
    );
}

#[tokio::test]
async fn missing_proc_files_are_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let metrics = ProcHostMetrics::new(dir.path().to_path_buf());
    let error = metrics.sample().await.unwrap_err();
    assert!(error.0.contains("stat"), "{error}");
}

#[tokio::test]
async fn a_failed_sample_keeps_the_previous_cpu_counters() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &stat(100, 100, 800), MEMINFO);
    let metrics = ProcHostMetrics::new(dir.path().to_path_buf());
    metrics.sample().await.unwrap();
    write(dir.path(), &stat(200, 150, 850), "garbage\n");
    assert!(metrics.sample().await.is_err());
    write(dir.path(), &stat(200, 150, 850), MEMINFO);
    let report = metrics.sample().await.unwrap();
    assert!(
        (report.cpu_usage - 0.75).abs() < 1e-9,
        "{}",
        report.cpu_usage
    );
}

#[tokio::test]
async fn garbage_stat_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cpu x y\n", MEMINFO);
    let metrics = ProcHostMetrics::new(dir.path().to_path_buf());
    assert!(metrics.sample().await.is_err());
}

#[tokio::test]
async fn real_proc_gives_usages_within_zero_and_one() {
    let metrics = ProcHostMetrics::default();
    assert_eq!(metrics.root(), Path::new("/proc"));
    let first = metrics.sample().await.unwrap();
    // Burn a little CPU so the second delta is not empty.
    let mut x = 0u64;
    for i in 0..2_000_000u64 {
        x = x.wrapping_mul(31).wrapping_add(i);
    }
    std::hint::black_box(x);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let second = metrics.sample().await.unwrap();
    for report in [&first, &second] {
        assert!(report.cpu_cores_millis >= 1000, "{report:?}");
        assert!(report.cpu_cores_millis % 1000 == 0, "{report:?}");
        assert!((0.0..=1.0).contains(&report.cpu_usage), "{report:?}");
        assert!((0.0..=1.0).contains(&report.memory_usage), "{report:?}");
        assert!(report.memory_bytes > 0, "{report:?}");
    }
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(second.cpu_cores_millis >= 1000 * i64::try_from(cpus).unwrap() / 2);
}
