//! Emitting arbitrary text as one valid YAML scalar (AP §4.1).

use std::fmt::Write as _;

/// Quotes `value` as a YAML scalar that reads back as exactly `value`:
/// single-quoted (`'` doubled) when every character is printable on one line,
/// otherwise double-quoted with escapes.
#[must_use]
pub fn quote_yaml_scalar(value: &str) -> String {
    if value.chars().all(is_single_quote_safe) {
        return format!("'{}'", value.replace('\'', "''"));
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_single_quote_safe(c) => out.push(c),
            c if u32::from(c) <= 0xff => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c if u32::from(c) <= 0xffff => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\U{:08X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// YAML-printable, not a line break of any YAML version, and not a BOM.
fn is_single_quote_safe(c: char) -> bool {
    matches!(u32::from(c), 0x20..=0x7e | 0xa0..=0x2027 | 0x202a..=0xd7ff | 0xe000..=0xfefe | 0xff00..=0xfffd | 0x10000..)
}
