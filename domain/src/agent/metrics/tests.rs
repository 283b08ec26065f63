use proptest::prelude::*;

use super::*;

const STAT: &str = "cpu  100 5 50 800 10 1 2 3 0 0\n\
cpu0 50 2 25 400 5 0 1 1 0 0\n\
cpu1 50 3 25 400 5 1 1 2 0 0\n\
intr 12345 0 0\n\
ctxt 999\n\
btime 1700000000\n\
procs_running 2\n";

const MEMINFO: &str = "MemTotal:       16000000 kB\n\
MemFree:         4000000 kB\n\
MemAvailable:    9000000 kB\n\
Buffers:         1000000 kB\n\
Cached:          2000000 kB\n\
SwapCached:            0 kB\n\
SReclaimable:    1000000 kB\n";

#[test]
fn proc_stat_gives_busy_total_and_logical_cpus() {
    let (times, cpus) = parse_proc_stat(STAT).unwrap();
    assert_eq!(
        times,
        CpuTimes {
            busy: 150,
            total: 971
        }
    );
    assert_eq!(cpus, 2);
}

#[test]
fn proc_stat_without_cpu_line_is_an_error() {
    assert!(parse_proc_stat("cpu0 1 2 3 4\n").is_err());
    assert!(parse_proc_stat("cpu 1 2\n").is_err());
    assert!(parse_proc_stat("cpu 1 x 3 4\n").is_err());
}

#[test]
fn meminfo_gives_bytes_and_used_fraction() {
    let (bytes, usage) = parse_meminfo(MEMINFO).unwrap();
    assert_eq!(bytes, 16_000_000 * 1024);
    assert!((usage - 0.5).abs() < 1e-12, "usage {usage}");
}

#[test]
fn meminfo_without_total_or_with_zero_total_is_an_error() {
    assert!(parse_meminfo("MemFree: 1 kB\n").is_err());
    assert!(parse_meminfo("MemTotal: 0 kB\nMemFree: 0 kB\n").is_err());
    assert!(parse_meminfo("MemTotal: 10 kB\n").is_err());
    assert!(parse_meminfo("MemTotal: ten kB\nMemFree: 1 kB\n").is_err());
}

#[test]
fn cpu_usage_is_the_busy_share_of_elapsed_time() {
    let prev = CpuTimes {
        busy: 100,
        total: 1000,
    };
    assert!(
        (cpu_usage(
            Some(prev),
            CpuTimes {
                busy: 150,
                total: 1200
            }
        ) - 0.25)
            .abs()
            < 1e-12
    );
    assert!(cpu_usage(None, prev).abs() < f64::EPSILON);
    assert!(cpu_usage(Some(prev), prev).abs() < f64::EPSILON);
}

proptest! {
    #[test]
    fn proc_parsers_never_panic(text in any::<String>()) {
        let _ = parse_proc_stat(&text);
        if let Ok((_, usage)) = parse_meminfo(&text) {
            prop_assert!((0.0..=1.0).contains(&usage));
        }
    }

    #[test]
    fn meminfo_usage_is_a_fraction(total in 1u64..u64::MAX / 2048, free in any::<u64>(), buffers in any::<u64>(), cached in any::<u64>(), reclaim in any::<u64>()) {
        let text = format!("MemTotal: {total} kB\nMemFree: {free} kB\nBuffers: {buffers} kB\nCached: {cached} kB\nSReclaimable: {reclaim} kB\n");
        let (bytes, usage) = parse_meminfo(&text).unwrap();
        prop_assert_eq!(bytes, total * 1024);
        prop_assert!((0.0..=1.0).contains(&usage));
    }

    #[test]
    fn cpu_usage_is_a_fraction(a in any::<(u64, u64)>(), b in any::<(u64, u64)>(), has_prev in any::<bool>()) {
        let prev = has_prev.then_some(CpuTimes { busy: a.0, total: a.1 });
        let usage = cpu_usage(prev, CpuTimes { busy: b.0, total: b.1 });
        prop_assert!((0.0..=1.0).contains(&usage));
    }

    #[test]
    fn proc_stat_fields_sum_to_total(fields in proptest::collection::vec(0u64..1_000_000_000, 4..11), cpus in 0u32..64) {
        let mut text = format!("cpu  {}\n", fields.iter().map(u64::to_string).collect::<Vec<_>>().join(" "));
        for n in 0..cpus {
            text.push_str(&format!("cpu{n} 1 2 3 4\n"));
        }
        let (times, count) = parse_proc_stat(&text).unwrap();
        prop_assert_eq!(times.total, fields.iter().sum::<u64>());
        prop_assert_eq!(times.busy, fields[0] + fields[2]);
        prop_assert_eq!(count, cpus);
    }
}
