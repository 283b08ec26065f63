//! Redaction of secret values from agent-reported text (HS §2.3).

/// The replacement for every redacted secret value.
pub const REDACTED: &str = "********";

/// Values shorter than this many characters are not redacted (HS §2.3).
const MIN_REDACTED_CHARS: usize = 4;

/// Replaces every occurrence of each secret value of at least 4 characters
/// with [`REDACTED`].
///
/// The text is scanned once from the left; at each position the longest
/// matching value wins, so a value that contains another is redacted whole and
/// replacement text is never scanned again.
#[must_use]
pub fn redact(text: &str, secret_values: &[String]) -> String {
    let mut values: Vec<&str> = secret_values
        .iter()
        .map(String::as_str)
        .filter(|value| value.chars().count() >= MIN_REDACTED_CHARS)
        .collect();
    if values.is_empty() {
        return text.to_owned();
    }
    values.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    values.dedup();

    // Only positions whose byte can start some value need a closer look.
    let mut starts = [false; 256];
    for value in &values {
        if let Some(&first) = value.as_bytes().first() {
            starts[usize::from(first)] = true;
        }
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let rest = bytes.get(index..).unwrap_or_default();
        // Values are UTF-8 and begin with a lead byte, so a match always starts
        // and ends on a character boundary.
        let matched = starts[usize::from(byte)]
            .then(|| {
                values
                    .iter()
                    .find(|value| rest.starts_with(value.as_bytes()))
            })
            .flatten();
        match matched {
            Some(value) => {
                out.push_str(text.get(copied..index).unwrap_or_default());
                out.push_str(REDACTED);
                index += value.len();
                copied = index;
            }
            None => index += 1,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// The longest prefix of `text` that is at most `max_bytes` long and ends on a
/// character boundary (status messages are capped at 64 KiB, HS §2.2).
#[must_use]
pub fn cap_utf8(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn secrets(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn every_occurrence_is_replaced() {
        let out = redact("pw=hunter2; again hunter2", &secrets(&["hunter2"]));
        assert_eq!(out, "pw=********; again ********");
    }

    #[test]
    fn values_shorter_than_four_characters_are_kept() {
        assert_eq!(redact("abc abcd", &secrets(&["abc"])), "abc abcd");
        // Four characters count, not four bytes.
        assert_eq!(redact("x éééé y", &secrets(&["éééé"])), "x ******** y");
        assert_eq!(redact("x éé y", &secrets(&["éé"])), "x éé y");
    }

    #[test]
    fn the_longest_value_wins_when_values_overlap() {
        let out = redact("token=abcdefgh", &secrets(&["abcd", "abcdefgh"]));
        assert_eq!(out, "token=********");
    }

    #[test]
    fn a_value_made_of_stars_does_not_rematch_the_replacement() {
        let out = redact("secret1 and ****", &secrets(&["secret1", "****"]));
        assert_eq!(out, "******** and ********");
    }

    #[test]
    fn no_values_means_no_change() {
        assert_eq!(redact("text", &[]), "text");
    }

    #[test]
    fn cap_cuts_on_a_char_boundary() {
        assert_eq!(cap_utf8("héllo", 2), "h");
        assert_eq!(cap_utf8("héllo", 3), "hé");
        assert_eq!(cap_utf8("hello", 10), "hello");
        assert_eq!(cap_utf8("hello", 0), "");
    }

    /// The obvious algorithm: at each character, the longest matching value wins.
    fn reference(text: &str, values: &[String]) -> String {
        let mut sorted: Vec<&String> = values.iter().filter(|v| v.chars().count() >= 4).collect();
        sorted.sort_by_key(|v| std::cmp::Reverse(v.len()));
        let mut out = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if let Some(v) = sorted.iter().find(|v| rest.starts_with(v.as_str())) {
                out.push_str(REDACTED);
                rest = &rest[v.len()..];
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }

    proptest! {
        #[test]
        fn redaction_matches_the_reference_algorithm(
            text in "[ab é😀]{0,40}",
            values in prop::collection::vec("[ab é😀]{1,6}", 0..5),
        ) {
            prop_assert_eq!(redact(&text, &values), reference(&text, &values));
        }

        #[test]
        fn redacted_text_contains_no_secret(
            text in "[a-e ]{0,60}",
            values in prop::collection::vec("[a-e]{4,8}", 0..4),
        ) {
            let out = redact(&text, &values);
            for value in &values {
                prop_assert!(!out.contains(value.as_str()), "{out:?} contains {value:?}");
            }
        }

        #[test]
        fn text_without_secrets_is_unchanged(text in "\\PC{0,60}", values in prop::collection::vec("[0-9]{4,8}", 0..4)) {
            prop_assume!(values.iter().all(|v| !text.contains(v.as_str())));
            prop_assert_eq!(redact(&text, &values), text);
        }

        #[test]
        fn cap_is_a_prefix_within_the_limit(text in "\\PC{0,40}", max in 0usize..100) {
            let capped = cap_utf8(&text, max);
            prop_assert!(capped.len() <= max);
            prop_assert!(text.starts_with(capped));
            // Maximal: one more character would exceed the limit.
            if let Some(next) = text.get(capped.len()..).and_then(|rest| rest.chars().next()) {
                prop_assert!(capped.len() + next.len_utf8() > max);
            }
        }
    }
}
