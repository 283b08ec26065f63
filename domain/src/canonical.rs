//! Deterministic JSON serialization and strong ETags (AP §11j).
//!
//! Every Hub replica must produce byte-identical bodies for the same data, so
//! object keys are sorted here explicitly instead of trusting the map type.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Serializes `value` compactly with object keys sorted (by UTF-8 bytes) at every depth.
#[must_use]
pub fn canonical_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => out.extend_from_slice(number.to_string().as_bytes()),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_string(out, key);
                out.push(b':');
                write_value(out, item);
            }
            out.push(b'}');
        }
    }
}

fn write_string(out: &mut Vec<u8>, text: &str) {
    // serde_json's string escaping is deterministic; only map ordering is not.
    match serde_json::to_vec(text) {
        Ok(bytes) => out.extend_from_slice(&bytes),
        // Serializing a &str cannot fail; fall back to an empty string literal rather than panic.
        Err(_) => out.extend_from_slice(b"\"\""),
    }
}

/// A strong ETag for `body`: the hex SHA-256 in double quotes (`"\"3a7b…\""`).
#[must_use]
pub fn etag(body: &[u8]) -> String {
    format!("\"{}\"", hex::encode(Sha256::digest(body)))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_are_sorted_recursively_and_output_is_compact() {
        let value = json!({"b": 1, "a": {"z": [true, null], "y": "x"}, "A": 1.5});
        assert_eq!(
            String::from_utf8(canonical_json(&value)).unwrap(),
            r#"{"A":1.5,"a":{"y":"x","z":[true,null]},"b":1}"#
        );
    }

    #[test]
    fn strings_are_escaped_like_json() {
        let value = json!({"k\"ey": "line\nbreak \u{1} é"});
        assert_eq!(
            String::from_utf8(canonical_json(&value)).unwrap(),
            "{\"k\\\"ey\":\"line\\nbreak \\u0001 é\"}"
        );
    }

    #[test]
    fn etag_is_quoted_hex_sha256() {
        assert_eq!(
            etag(b""),
            "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\""
        );
    }

    #[test]
    fn different_bodies_have_different_etags() {
        assert_ne!(etag(b"{}"), etag(b"[]"));
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            // Dyadic fractions parse back exactly, so the round trip is not at the
            // mercy of serde_json's approximate float parser.
            (-1_000_000_000i64..1_000_000_000).prop_map(|n| json!(n as f64 / 64.0)),
            "\\PC{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("\\PC{0,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn canonical_json_parses_back_to_the_same_value(value in arb_json()) {
            let bytes = canonical_json(&value);
            let parsed: Value = serde_json::from_slice(&bytes).unwrap();
            prop_assert_eq!(parsed, value);
        }

        #[test]
        fn canonical_json_is_a_fixed_point(value in arb_json()) {
            let once = canonical_json(&value);
            let reparsed: Value = serde_json::from_slice(&once).unwrap();
            prop_assert_eq!(canonical_json(&reparsed), once);
        }

        #[test]
        fn insertion_order_does_not_change_the_bytes(keys in prop::collection::btree_set("[a-z]{1,4}", 0..8)) {
            let forward: serde_json::Map<String, Value> =
                keys.iter().map(|k| (k.clone(), json!(k))).collect();
            let backward: serde_json::Map<String, Value> =
                keys.iter().rev().map(|k| (k.clone(), json!(k))).collect();
            prop_assert_eq!(
                canonical_json(&Value::Object(forward)),
                canonical_json(&Value::Object(backward))
            );
        }
    }
}
