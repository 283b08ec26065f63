//! YAML scalar emission for hand-written manifests (AP §4.1): every inserted
//! value becomes a valid scalar that parses back to exactly the input, with
//! Compose's `$` escaping on top for the docker manifest.

pub(super) use crate::compose::quote_yaml_scalar as quote;

/// Quotes a value for a Compose file, where `$` starts an interpolation and
/// a literal one must be written `$$`.
pub(super) fn quote_compose(value: &str) -> String {
    quote(&value.replace('$', "$$"))
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
        assert_eq!(quote("a\u{1}b\u{85}"), r#""a\x01b\x85""#);
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
