use std::time::Duration;

use proptest::prelude::*;

use super::*;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn go_examples_parse() {
    assert_eq!(parse_duration("300ms"), Ok(ms(300)));
    assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
    assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
    assert_eq!(parse_duration("1h0m0s"), Ok(Duration::from_secs(3600)));
    assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
    assert_eq!(parse_duration("+5s"), Ok(Duration::from_secs(5)));
    assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
    assert_eq!(parse_duration(".5s"), Ok(ms(500)));
    assert_eq!(parse_duration("5.s"), Ok(Duration::from_secs(5)));
    assert_eq!(parse_duration("2h45m"), Ok(Duration::from_secs(9900)));
}

#[test]
fn every_go_unit_is_accepted() {
    assert_eq!(parse_duration("7ns"), Ok(Duration::from_nanos(7)));
    assert_eq!(parse_duration("7us"), Ok(Duration::from_micros(7)));
    assert_eq!(parse_duration("7\u{b5}s"), Ok(Duration::from_micros(7)));
    assert_eq!(parse_duration("7\u{3bc}s"), Ok(Duration::from_micros(7)));
    assert_eq!(parse_duration("7ms"), Ok(ms(7)));
    assert_eq!(parse_duration("7m"), Ok(Duration::from_secs(420)));
    assert_eq!(parse_duration("7h"), Ok(Duration::from_secs(7 * 3600)));
}

#[test]
fn humantime_extras_parse() {
    assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
    assert_eq!(parse_duration("1h 30m"), Ok(Duration::from_secs(5400)));
    assert_eq!(parse_duration("2w"), Ok(Duration::from_secs(14 * 86_400)));
    assert_eq!(parse_duration("10 seconds"), Ok(Duration::from_secs(10)));
    assert_eq!(parse_duration(" 24h "), Ok(Duration::from_secs(86_400)));
    assert_eq!(
        parse_duration("1 hour 30 minutes"),
        Ok(Duration::from_secs(5400))
    );
    assert_eq!(parse_duration("1hour30min"), Ok(Duration::from_secs(5400)));
}

#[test]
fn fractions_are_exact_to_the_nanosecond() {
    assert_eq!(parse_duration("1.000000001s"), Ok(Duration::new(1, 1)));
    assert_eq!(parse_duration("0.1s"), Ok(ms(100)));
    assert_eq!(parse_duration("1.5us"), Ok(Duration::from_nanos(1500)));
}

#[test]
fn malformed_and_negative_durations_are_rejected_naming_the_text() {
    for bad in [
        "", " ", "5", "s", ".s", "1.5", "-5s", "5x", "1h-5m", "--5s", "+", "1e3s", "00",
    ] {
        let err = parse_duration(bad).expect_err(bad);
        assert_eq!(err.to_string(), format!("invalid duration {bad:?}"));
    }
}

#[test]
fn negative_zero_is_zero() {
    assert_eq!(parse_duration("-0s"), Ok(Duration::ZERO));
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    assert!(parse_duration("99999999999999999999999999999999999999999h").is_err());
    assert!(parse_duration("18446744073709551616s").is_err());
}

#[test]
fn go_canonical_formatting_matches_examples() {
    assert_eq!(format_go_duration(Duration::from_secs(5)), "5s");
    assert_eq!(format_go_duration(Duration::from_secs(60)), "1m0s");
    assert_eq!(format_go_duration(Duration::from_secs(3600)), "1h0m0s");
    assert_eq!(format_go_duration(ms(300)), "300ms");
    assert_eq!(format_go_duration(ms(1500)), "1.5s");
    assert_eq!(format_go_duration(Duration::ZERO), "0s");
    assert_eq!(format_go_duration(Duration::from_secs(90)), "1m30s");
    assert_eq!(format_go_duration(Duration::from_secs(86_400)), "24h0m0s");
    assert_eq!(format_go_duration(Duration::from_nanos(1500)), "1.5\u{b5}s");
    assert_eq!(format_go_duration(Duration::from_nanos(7)), "7ns");
    assert_eq!(
        format_go_duration(Duration::new(3661, 500_000_000)),
        "1h1m1.5s"
    );
    assert_eq!(format_go_duration(Duration::new(1, 1)), "1.000000001s");
}

proptest! {
    #[test]
    fn parse_never_panics_on_arbitrary_text(s in "\\PC{0,40}") {
        let _ = parse_duration(&s);
    }

    #[test]
    fn parse_never_panics_on_duration_like_text(s in "[-+]?[0-9.]{0,25}(ns|us|µs|ms|s|m|h|d| |x){0,4}[0-9.]{0,5}") {
        let _ = parse_duration(&s);
    }

    #[test]
    fn formatted_durations_parse_back_to_themselves(secs in 0u64..=10_000_000_000, nanos in 0u32..1_000_000_000) {
        let d = Duration::new(secs, nanos);
        prop_assert_eq!(parse_duration(&format_go_duration(d)), Ok(d));
    }

    #[test]
    fn components_add_up(h in 0u64..10_000, m in 0u64..100, s in 0u64..100) {
        let text = format!("{h}h{m}m{s}s");
        prop_assert_eq!(parse_duration(&text), Ok(Duration::from_secs(h * 3600 + m * 60 + s)));
        let spaced = format!("{h}h {m}m {s}s");
        prop_assert_eq!(parse_duration(&spaced), Ok(Duration::from_secs(h * 3600 + m * 60 + s)));
    }
}
