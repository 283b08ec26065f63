//! Kubernetes resource quantities (`3500m`, `250000000n`, `16318480Ki`,
//! `1.5`, `1e3`) in exact integer arithmetic.

/// `text` × 10^`scale`, rounded up like Go's `Quantity.ScaledValue`:
/// `scale` 3 gives millicores, 0 gives bytes. `None` for text that is not
/// a non-negative quantity or a value beyond `i64`.
pub(crate) fn scaled(text: &str, scale: i32) -> Option<i64> {
    let text = text.trim();
    let number_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(number_end);
    let (digits, exponent) = decimal(number)?;
    let (multiplier, suffix_exponent) = suffix_factor(suffix)?;
    let mantissa = digits.checked_mul(multiplier)?;
    let exponent = exponent.checked_add(suffix_exponent)?.checked_add(scale)?;
    let value = if exponent >= 0 {
        mantissa.checked_mul(10i128.checked_pow(exponent.unsigned_abs())?)?
    } else {
        let divisor = 10i128.checked_pow(exponent.unsigned_abs())?;
        mantissa.div_euclid(divisor) + i128::from(mantissa.rem_euclid(divisor) != 0)
    };
    i64::try_from(value).ok()
}

/// `12.50` → (1250, -2).
fn decimal(number: &str) -> Option<(i128, i32)> {
    let number = number.strip_prefix('+').unwrap_or(number);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut digits = 0i128;
    for c in whole.chars().chain(fraction.chars()) {
        let digit = c.to_digit(10)?;
        digits = digits.checked_mul(10)?.checked_add(i128::from(digit))?;
    }
    let exponent = -i32::try_from(fraction.len()).ok()?;
    Some((digits, exponent))
}

/// (binary multiplier, decimal exponent) of a suffix.
fn suffix_factor(suffix: &str) -> Option<(i128, i32)> {
    let binary = |power: u32| Some((1024i128.pow(power), 0));
    match suffix {
        "" => Some((1, 0)),
        "n" => Some((1, -9)),
        "u" => Some((1, -6)),
        "m" => Some((1, -3)),
        "k" => Some((1, 3)),
        "M" => Some((1, 6)),
        "G" => Some((1, 9)),
        "T" => Some((1, 12)),
        "P" => Some((1, 15)),
        "E" => Some((1, 18)),
        "Ki" => binary(1),
        "Mi" => binary(2),
        "Gi" => binary(3),
        "Ti" => binary(4),
        "Pi" => binary(5),
        "Ei" => binary(6),
        other => {
            let exponent = other
                .strip_prefix('e')
                .or_else(|| other.strip_prefix('E'))?;
            Some((1, exponent.parse().ok()?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_quantities_become_millicores_rounded_up() {
        assert_eq!(scaled("4", 3), Some(4000));
        assert_eq!(scaled("3500m", 3), Some(3500));
        assert_eq!(scaled("1.5", 3), Some(1500));
        assert_eq!(scaled("250000000n", 3), Some(250));
        assert_eq!(scaled("123456789n", 3), Some(124));
        assert_eq!(scaled("1500u", 3), Some(2));
        assert_eq!(scaled("0", 3), Some(0));
    }

    #[test]
    fn memory_quantities_become_bytes() {
        assert_eq!(scaled("16318480Ki", 0), Some(16_710_123_520));
        assert_eq!(scaled("2Gi", 0), Some(2_147_483_648));
        assert_eq!(scaled("1G", 0), Some(1_000_000_000));
        assert_eq!(scaled("12345k", 0), Some(12_345_000));
        assert_eq!(scaled("1e3", 0), Some(1000));
        assert_eq!(scaled("1.5Mi", 0), Some(1_572_864));
        assert_eq!(scaled("123456789", 0), Some(123_456_789));
    }

    #[test]
    fn junk_negative_and_overflowing_quantities_are_rejected() {
        for text in ["", "m", "abc", "-1", "1.2.3", "5X", "1Qi", "9E99", "1e"] {
            assert_eq!(scaled(text, 0), None, "{text}");
        }
    }
}
