//! YAML scalar emission for hand-written manifests (AP §4.1): every inserted
//! value becomes a valid scalar that parses back to exactly the input.

/// Quotes `value` as a YAML scalar: single-quoted (with `'` doubled) when that
/// is exact, otherwise double-quoted with escapes. Single quotes cannot carry
/// line breaks or tabs verbatim (they fold or are stripped), so those go
/// double-quoted.
pub(super) fn quote(value: &str) -> String {
    if value.chars().all(single_quotable) {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('\'');
        out.push_str(&value.replace('\'', "''"));
        out.push('\'');
        out
    } else {
        double_quote(value)
    }
}

/// Quotes a value for a Compose file, where `$` starts an interpolation and
/// a literal one must be written `$$`.
pub(super) fn quote_compose(value: &str) -> String {
    quote(&value.replace('$', "$$"))
}

fn single_quotable(c: char) -> bool {
    !needs_escape(c) && !matches!(c, '\t' | '\n' | '\r')
}

/// Characters outside YAML's printable set, plus those some parsers treat as
/// line breaks or byte-order marks.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

fn double_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                // Every such character is in the BMP, so four hex digits suffice.
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_single_quoted() {
        assert_eq!(
            quote("https://hub.example.com"),
            "'https://hub.example.com'"
        );
    }

    #[test]
    fn single_quotes_are_doubled() {
        assert_eq!(quote("it's"), "'it''s'");
    }

    #[test]
    fn newlines_and_tabs_are_double_quoted_escapes() {
        assert_eq!(quote("a\nb\t\"c\"\\"), r#""a\nb\t\"c\"\\""#);
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(quote("a\u{1}b\u{85}"), r#""a\u0001b\u0085""#);
    }

    #[test]
    fn compose_values_double_dollars() {
        assert_eq!(quote_compose("p$ss"), "'p$$ss'");
    }

    #[test]
    fn quoted_scalars_parse_back_exactly() {
        for input in [
            "",
            "it's",
            "a: b",
            "#x",
            "- y",
            "multi\nline\n",
            " lead",
            "tab\t",
            "\u{1}\u{7f}",
            "ünï",
            "null",
            "true",
            "1e3",
            "\u{2028}",
        ] {
            let doc = format!("k: {}\n", quote(input));
            let parsed: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&doc).unwrap();
            assert_eq!(parsed["k"], input, "{doc}");
        }
    }
}
