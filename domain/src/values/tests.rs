use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::*;

fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn empty_blank_comment_and_null_documents_are_empty_mappings() {
    for text in ["", "  \n\n", "# only a comment\n", "---\n", "null", "~"] {
        assert_eq!(parse_values(text), Ok(Map::new()), "{text:?}");
    }
}

#[test]
fn non_mapping_roots_are_rejected() {
    for text in ["- a\n- b", "42", "hello", "[1]"] {
        assert_eq!(
            parse_values(text),
            Err(ValuesError::NotAMapping),
            "{text:?}"
        );
    }
}

#[test]
fn scalars_follow_the_yaml_1_2_core_schema() {
    let values = parse_values(
        "a: yes\nb: True\nc: 0o17\nd: 0x1F\ne: 1_000\nf: .inf\ng: null\nh: ~\ni: '12'\nj: 1.5\nk: off\nl: -.Inf\nm: 7\nn:\n",
    )
    .unwrap();
    assert_eq!(
        Value::Object(values),
        json!({"a": "yes", "b": true, "c": 15, "d": 31, "e": "1_000", "f": ".inf", "g": null, "h": null,
               "i": "12", "j": 1.5, "k": "off", "l": "-.inf", "m": 7, "n": null})
    );
}

#[test]
fn non_string_keys_and_tags_become_strings() {
    let values =
        parse_values("1: a\ntrue: b\n~: c\n1.5: d\nx: !custom text\ny: !!str 12\nz: !reset [1]\n")
            .unwrap();
    assert_eq!(
        Value::Object(values),
        json!({"1": "a", "true": "b", "null": "c", "1.5": "d", "x": "text", "y": "12", "z": [1]})
    );
}

#[test]
fn anchors_and_merge_keys_are_expanded() {
    let values = parse_values("base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n").unwrap();
    assert_eq!(
        Value::Object(values),
        json!({"base": {"x": 1}, "child": {"x": 1, "y": 2}})
    );
}

#[test]
fn parse_errors_have_a_position_but_no_document_text() {
    let err = parse_values("password: \"hunter2\n  x: : :").unwrap_err();
    let ValuesError::Parse(message) = &err else {
        panic!("expected a parse error")
    };
    assert!(message.contains("line 1"), "{message}");
    assert!(!err.to_string().contains("hunter2"), "{err}");
    let dup = parse_values("hunter2: 1\nhunter2: 2\n")
        .unwrap_err()
        .to_string();
    assert!(dup.contains("duplicate mapping key at line 2"), "{dup}");
    assert!(!dup.contains("hunter2"), "{dup}");
}

#[test]
fn mappings_merge_recursively_and_lists_are_replaced() {
    let base = obj(json!({"a": {"b": 1, "c": [1, 2]}, "keep": true}));
    let over = obj(json!({"a": {"c": [3], "d": "x"}, "new": {"n": 1}}));
    assert_eq!(
        Value::Object(merge_values(&base, &over).unwrap()),
        json!({"a": {"b": 1, "c": [3], "d": "x"}, "keep": true, "new": {"n": 1}})
    );
}

#[test]
fn a_mapping_fills_a_null_base() {
    let merged = merge_values(&obj(json!({"a": null})), &obj(json!({"a": {"x": 1}}))).unwrap();
    assert_eq!(Value::Object(merged), json!({"a": {"x": 1}}));
}

#[test]
fn scalars_and_null_replace_scalars() {
    let merged = merge_values(
        &obj(json!({"a": 1, "b": "x"})),
        &obj(json!({"a": null, "b": [1]})),
    )
    .unwrap();
    assert_eq!(Value::Object(merged), json!({"a": null, "b": [1]}));
}

#[test]
fn a_mapping_into_a_scalar_is_an_error_with_the_dotted_path() {
    let err = merge_values(
        &obj(json!({"a": {"b": 5}})),
        &obj(json!({"a": {"b": {"c": 1}}})),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "error merging values files: merge error at a.b: can not merge map into non-map type"
    );
}

#[test]
fn a_scalar_or_null_into_a_mapping_is_an_error() {
    let err = merge_values(
        &obj(json!({"a": {"b": {}}})),
        &obj(json!({"a": {"b": null}})),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "error merging values files: merge error at a.b: can not merge non-map type into map"
    );
    let err =
        merge_values(&obj(json!({"list": {"x": 1}})), &obj(json!({"list": [1]}))).unwrap_err();
    assert_eq!(
        err,
        MergeError {
            path: "list".into(),
            reason: "can not merge non-map type into map"
        }
    );
}

fn arb_values() -> impl Strategy<Value = Map<String, Value>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::from),
        "[a-z]{0,4}".prop_map(Value::String),
        prop::collection::vec((-5i64..5).prop_map(Value::from), 0..3).prop_map(Value::Array),
    ];
    let tree = leaf.prop_recursive(3, 24, 4, |inner| {
        prop::collection::btree_map("[a-d]", inner, 0..4)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
    });
    prop::collection::btree_map("[a-d]", tree, 0..4).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn parse_never_panics(text in "\\PC{0,120}") {
        let _ = parse_values(&text);
    }

    #[test]
    fn parse_never_panics_on_yaml_like_text(text in "([a-z]{1,3}|[-:{}\\[\\],&*!?|>'\"#~ ]|\n  ?){0,40}") {
        let _ = parse_values(&text);
    }

    #[test]
    fn yaml_serialized_values_parse_back(values in arb_values()) {
        let text = serde_saphyr::to_string(&Value::Object(values.clone())).unwrap();
        prop_assert_eq!(parse_values(&text), Ok(values));
    }

    #[test]
    fn merging_an_empty_override_is_identity(values in arb_values()) {
        prop_assert_eq!(merge_values(&values, &Map::new()), Ok(values));
    }

    #[test]
    fn merging_onto_an_empty_base_copies_the_override(values in arb_values()) {
        prop_assert_eq!(merge_values(&Map::new(), &values), Ok(values));
    }

    #[test]
    fn merging_with_itself_is_identity(values in arb_values()) {
        prop_assert_eq!(merge_values(&values, &values), Ok(values));
    }

    #[test]
    fn merge_is_associative_when_defined(a in arb_values(), b in arb_values(), c in arb_values()) {
        let left = merge_values(&a, &b).and_then(|ab| merge_values(&ab, &c));
        let right = merge_values(&b, &c).and_then(|bc| merge_values(&a, &bc));
        if let (Ok(left), Ok(right)) = (left, right) {
            prop_assert_eq!(left, right);
        }
    }

    #[test]
    fn override_leaves_win(base in arb_values(), over in arb_values()) {
        if let Ok(merged) = merge_values(&base, &over) {
            for (key, value) in &over {
                if !value.is_object() {
                    prop_assert_eq!(merged.get(key), Some(value));
                }
            }
            for key in base.keys() {
                prop_assert!(merged.contains_key(key));
            }
        }
    }
}
