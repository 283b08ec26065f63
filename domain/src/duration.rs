//! Duration text: Go's `time.ParseDuration` syntax plus the humantime extras the
//! Hub accepts in its configuration (AP §1.3, HS §5.1), and Go's canonical
//! `time.Duration.String()` form used in install manifests (AP §4.1).

use std::time::Duration;

/// A duration text that could not be parsed; the message names the bad text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {0:?}")]
pub struct DurationError(pub String);

const NANOS_PER_SEC: u128 = 1_000_000_000;

/// Nanoseconds per unit, for every unit spelling accepted.
fn unit_nanos(unit: &str) -> Option<u128> {
    const MICRO: u128 = 1_000;
    const MILLI: u128 = 1_000_000;
    const SEC: u128 = NANOS_PER_SEC;
    const MIN: u128 = 60 * SEC;
    const HOUR: u128 = 60 * MIN;
    const DAY: u128 = 24 * HOUR;
    Some(match unit {
        "ns" | "nsec" | "nanos" => 1,
        // U+00B5 (micro sign) and U+03BC (Greek mu), as Go accepts both.
        "us" | "\u{b5}s" | "\u{3bc}s" | "usec" | "micros" => MICRO,
        "ms" | "msec" | "millis" => MILLI,
        "s" | "sec" | "secs" | "second" | "seconds" => SEC,
        "m" | "min" | "mins" | "minute" | "minutes" => MIN,
        "h" | "hr" | "hrs" | "hour" | "hours" => HOUR,
        "d" | "day" | "days" => DAY,
        "w" | "week" | "weeks" => 7 * DAY,
        _ => return None,
    })
}

/// Parses a duration in Go syntax (`300ms`, `1m30s`, `1h0m0s`, `1.5h`, optional
/// leading `+`, bare `0`) or with humantime extras (`7d`, `2w`, `1h 30m`).
///
/// # Errors
/// `DurationError` for empty, malformed, negative or overflowing input.
pub fn parse_duration(s: &str) -> Result<Duration, DurationError> {
    let err = || DurationError(s.to_owned());
    let trimmed = s.trim();
    let (negative, body) = if let Some(body) = trimmed.strip_prefix('-') {
        (true, body)
    } else {
        (false, trimmed.strip_prefix('+').unwrap_or(trimmed))
    };
    if body == "0" {
        return Ok(Duration::ZERO);
    }
    if body.is_empty() {
        return Err(err());
    }
    let mut total: u128 = 0;
    let mut rest = body;
    while !rest.is_empty() {
        let (nanos, tail) = parse_component(rest).ok_or_else(err)?;
        total = total.checked_add(nanos).ok_or_else(err)?;
        rest = tail.trim_start();
    }
    if negative && total != 0 {
        return Err(err());
    }
    let secs = u64::try_from(total / NANOS_PER_SEC).map_err(|_| err())?;
    let nanos = u32::try_from(total % NANOS_PER_SEC).map_err(|_| err())?;
    Ok(Duration::new(secs, nanos))
}

/// Parses one `<number><unit>` component; returns its nanoseconds and the rest.
fn parse_component(s: &str) -> Option<(u128, &str)> {
    let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
    let (int_digits, after_int) = s.split_at(int_len);
    let (frac_digits, after_number) = match after_int.strip_prefix('.') {
        Some(tail) => {
            let frac_len = tail.bytes().take_while(u8::is_ascii_digit).count();
            tail.split_at(frac_len)
        }
        None => ("", after_int),
    };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    // humantime allows blanks between the number and its unit (`10 seconds`).
    let after_number = after_number.trim_start();
    // A unit runs until the next digit, '.', or whitespace.
    let unit_len = after_number
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || *c == '.' || c.is_whitespace())
        .map_or(after_number.len(), |(i, _)| i);
    let (unit, tail) = after_number.split_at(unit_len);
    let unit = unit_nanos(unit)?;

    let mut nanos: u128 = 0;
    for digit in int_digits.bytes() {
        nanos = nanos
            .checked_mul(10)?
            .checked_add(u128::from(digit - b'0'))?;
    }
    nanos = nanos.checked_mul(unit)?;
    // Fraction digits beyond nanosecond precision cannot change the result.
    let mut numerator: u128 = 0;
    let mut scale: u128 = 1;
    for digit in frac_digits.bytes().take(24) {
        numerator = numerator * 10 + u128::from(digit - b'0');
        scale *= 10;
    }
    let fraction = numerator.checked_mul(unit)? / scale;
    Some((nanos.checked_add(fraction)?, tail))
}

/// Formats a duration exactly like Go's `time.Duration.String()`:
/// `5s`, `1m0s`, `1h0m0s`, `300ms`, `1.5s`, `1.5µs`, `0s`.
#[must_use]
pub fn format_go_duration(d: Duration) -> String {
    let total = d.as_nanos();
    if total == 0 {
        return "0s".to_owned();
    }
    if total < NANOS_PER_SEC {
        let (divisor, unit) = match total {
            n if n < 1_000 => (1, "ns"),
            n if n < 1_000_000 => (1_000, "\u{b5}s"),
            _ => (1_000_000, "ms"),
        };
        return format!("{}{unit}", decimal(total, divisor));
    }
    let seconds_part = decimal(total % (60 * NANOS_PER_SEC), NANOS_PER_SEC);
    let total_minutes = total / (60 * NANOS_PER_SEC);
    if total_minutes == 0 {
        return format!("{seconds_part}s");
    }
    let hours = total_minutes / 60;
    let minutes = total_minutes % 60;
    if hours == 0 {
        format!("{minutes}m{seconds_part}s")
    } else {
        format!("{hours}h{minutes}m{seconds_part}s")
    }
}

/// `value / divisor` as a decimal with trailing fraction zeros removed.
fn decimal(value: u128, divisor: u128) -> String {
    let whole = value / divisor;
    let remainder = value % divisor;
    if remainder == 0 {
        return whole.to_string();
    }
    let width = divisor.ilog10() as usize;
    let fraction = format!("{remainder:0width$}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests;
