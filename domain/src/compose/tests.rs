use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::*;

const PROJECT: &str = "distr-0190a3b4";

fn parsed(yaml: &str) -> Value {
    Value::Object(parse_root(yaml).unwrap())
}

#[test]
fn project_name_is_distr_and_the_first_id_group() {
    let id: DeploymentId = "0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b".parse().unwrap();
    assert_eq!(project_name(id), PROJECT);
}

#[test]
fn a_missing_name_is_inserted_before_the_first_key_keeping_comments() {
    let yaml = "# my app\nservices:\n  web:\n    image: nginx # pinned later\n";
    let out = rewrite_compose(yaml, PROJECT).unwrap();
    assert_eq!(
        out,
        "# my app\nname: 'distr-0190a3b4'\nservices:\n  web:\n    image: nginx # pinned later\n"
    );
}

#[test]
fn an_existing_name_is_replaced_in_place() {
    let yaml = "services:\n  web:\n    image: nginx\nname: old # comment\nvolumes:\n  data:\n";
    let out = rewrite_compose(yaml, PROJECT).unwrap();
    assert_eq!(
        out,
        "services:\n  web:\n    image: nginx\nname: 'distr-0190a3b4'\nvolumes:\n  data:\n"
    );
}

#[test]
fn a_multi_line_name_is_replaced_whole() {
    let yaml = "name: |\n  old\n  name\n\nservices:\n  web: {image: nginx}\n";
    let out = rewrite_compose(yaml, PROJECT).unwrap();
    assert_eq!(
        out,
        "name: 'distr-0190a3b4'\n\nservices:\n  web: {image: nginx}\n"
    );
}

#[test]
fn quoted_name_keys_and_crlf_line_endings_are_handled() {
    let out = rewrite_compose("\"name\": x\r\nservices:\r\n  a: {}\r\n", PROJECT).unwrap();
    assert_eq!(out, "name: 'distr-0190a3b4'\r\nservices:\r\n  a: {}\r\n");
    let out = rewrite_compose("---\nservices:\n  a: {}\n", PROJECT).unwrap();
    assert_eq!(out, "---\nname: 'distr-0190a3b4'\nservices:\n  a: {}\n");
}

#[test]
fn a_last_line_without_newline_is_kept_apart() {
    let out = rewrite_compose("services:\n  a: {}\nname: x", PROJECT).unwrap();
    assert_eq!(
        parsed(&out),
        json!({"services": {"a": {}}, "name": PROJECT})
    );
}

#[test]
fn interpolations_and_anchors_survive_the_text_edit() {
    let yaml = "x-env: &env\n  A: ${A:-1}\nservices:\n  web:\n    environment: *env\n    command: echo $$HOME\n";
    let out = rewrite_compose(yaml, PROJECT).unwrap();
    assert!(out.ends_with(yaml), "{out}");
}

#[test]
fn flow_and_empty_documents_are_re_encoded() {
    let out = rewrite_compose("{services: {web: {image: nginx}}}", PROJECT).unwrap();
    assert_eq!(
        parsed(&out),
        json!({"name": PROJECT, "services": {"web": {"image": "nginx"}}})
    );
    for empty in ["", "# nothing\n", "---\n"] {
        let out = rewrite_compose(empty, PROJECT).unwrap();
        assert_eq!(parsed(&out), json!({"name": PROJECT}), "{empty:?}");
    }
}

#[test]
fn a_name_inside_a_flow_mapping_at_column_zero_is_not_mistaken_for_the_key() {
    let yaml = "services: {\nname: inner,\nweb: {}\n}\n";
    let out = rewrite_compose(yaml, PROJECT).unwrap();
    assert_eq!(
        parsed(&out),
        json!({"name": PROJECT, "services": {"name": "inner", "web": {}}})
    );
}

#[test]
fn an_anchored_name_falls_back_to_re_encoding_with_aliases_expanded() {
    let yaml = "name: &n old\nservices:\n  web:\n    container_name: *n\n";
    let out = rewrite_compose(yaml, PROJECT).unwrap();
    assert_eq!(
        parsed(&out),
        json!({"name": PROJECT, "services": {"web": {"container_name": "old"}}})
    );
}

#[test]
fn compose_tags_elsewhere_are_kept_by_the_text_edit() {
    let yaml = "services:\n  web:\n    ports: !reset []\n    image: !override nginx\n";
    let out = rewrite_compose(yaml, PROJECT).unwrap();
    assert_eq!(out, format!("name: 'distr-0190a3b4'\n{yaml}"));
}

#[test]
fn an_explicit_name_overrides_one_from_a_merge_key() {
    let yaml = "x-base: &base\n  name: merged\n<<: *base\nservices:\n  a: {}\n";
    let out = rewrite_compose(yaml, PROJECT).unwrap();
    assert_eq!(parsed(&out)["name"], PROJECT);
    let stripped = strip_compose_name(yaml).unwrap();
    assert_eq!(parsed(&stripped).get("name"), None);
}

#[test]
fn the_project_name_is_quoted_safely() {
    let out = rewrite_compose("services:\n  a: {}\n", "it's: #1\nnext").unwrap();
    assert_eq!(parsed(&out)["name"], "it's: #1\nnext");
}

#[test]
fn non_mapping_and_invalid_documents_are_rejected() {
    assert_eq!(
        rewrite_compose("- a\n- b\n", PROJECT),
        Err(ComposeError::NotAMapping)
    );
    assert_eq!(
        rewrite_compose("just text", PROJECT),
        Err(ComposeError::NotAMapping)
    );
    assert!(matches!(
        rewrite_compose("a: [1,\n", PROJECT),
        Err(ComposeError::Parse(_))
    ));
    assert!(matches!(
        rewrite_compose("a: 1\n---\nb: 2\n", PROJECT),
        Err(ComposeError::Parse(_))
    ));
}

#[test]
fn validation_requires_a_non_empty_services_mapping() {
    assert_eq!(
        validate_compose("services:\n  web:\n    image: nginx\n"),
        Ok(())
    );
    for bad in [
        "",
        "name: x",
        "services: {}",
        "services: []",
        "services: web",
        "services:\n",
    ] {
        assert_eq!(
            validate_compose(bad),
            Err(ComposeError::MissingServices),
            "{bad:?}"
        );
    }
    assert_eq!(validate_compose("- a"), Err(ComposeError::NotAMapping));
    assert_eq!(
        ComposeError::MissingServices.to_string(),
        "compose file must have a non-empty services mapping"
    );
}

#[test]
fn strip_removes_only_the_top_level_name() {
    let yaml = "name: proj\nservices:\n  web:\n    name: keep\n";
    assert_eq!(
        strip_compose_name(yaml).unwrap(),
        "services:\n  web:\n    name: keep\n"
    );
    let untouched = "# c\nservices:\n  web: {}\n";
    assert_eq!(strip_compose_name(untouched).unwrap(), untouched);
    let flow = strip_compose_name("{name: p, services: {a: {}}}").unwrap();
    assert_eq!(parsed(&flow), json!({"services": {"a": {}}}));
}

#[test]
fn quoted_scalars_read_back_exactly() {
    for value in [
        "",
        "plain",
        "it's",
        "a: b",
        "#x",
        "tab\there",
        "line\nbreak",
        "\u{1}",
        "\u{2028}",
        "\u{feff}",
        "ünï",
        "😀",
        " pad ",
    ] {
        let doc = format!("k: {}", quote_yaml_scalar(value));
        assert_eq!(parsed(&doc)["k"], value, "{doc:?}");
    }
}

fn arb_service() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        "[a-z0-9:/._$-]{0,10}".prop_map(Value::String),
        (0i64..70000).prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
    ];
    prop::collection::btree_map("[a-z_]{1,8}", leaf, 0..4)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn arb_compose() -> impl Strategy<Value = Map<String, Value>> {
    (
        prop::collection::btree_map("[a-z]{1,6}", arb_service(), 1..3),
        proptest::option::of("[a-z0-9 -]{0,12}"),
    )
        .prop_map(|(services, name)| {
            let mut root = Map::new();
            root.insert(
                "services".into(),
                Value::Object(services.into_iter().collect()),
            );
            if let Some(name) = name {
                root.insert("name".into(), Value::String(name));
            }
            root
        })
}

proptest! {
    #[test]
    fn rewrite_never_panics(text in "\\PC{0,120}", name in "\\PC{0,12}") {
        let _ = rewrite_compose(&text, &name);
        let _ = strip_compose_name(&text);
        let _ = validate_compose(&text);
    }

    #[test]
    fn rewrite_never_panics_on_yaml_like_text(text in "(name|services|[a-z]{1,3}|[-:{}\\[\\],&*!?|>'\"# ]|\r?\n  ?){0,40}") {
        let _ = rewrite_compose(&text, PROJECT);
        let _ = strip_compose_name(&text);
    }

    #[test]
    fn rewrite_sets_the_name_and_keeps_everything_else(root in arb_compose(), comment in "[a-z ]{0,10}", name in "\\PC{0,16}") {
        let yaml = format!("# {comment}\n{}", serde_saphyr::to_string(&Value::Object(root.clone())).unwrap());
        let out = rewrite_compose(&yaml, &name).unwrap();
        let mut expected = root.clone();
        expected.insert("name".into(), Value::String(name.clone()));
        prop_assert_eq!(parse_root(&out).unwrap(), expected);
        // Block-style input always takes the text-preserving path.
        let comment_line = format!("# {comment}\n");
        prop_assert!(out.starts_with(&comment_line));
        prop_assert_eq!(rewrite_compose(&out, &name).unwrap(), out.clone());
        let stripped = strip_compose_name(&out).unwrap();
        let mut without = root.clone();
        without.remove("name");
        prop_assert_eq!(parse_root(&stripped).unwrap(), without);
        prop_assert_eq!(validate_compose(&out), Ok(()));
    }

    #[test]
    fn quoting_round_trips_any_text(value in "\\PC{0,30}|[\\x00-\\x1f\\x7f-\\u{a0}\\u{2028}\\u{feff}a']{0,10}") {
        let doc = format!("k: {}", quote_yaml_scalar(&value));
        let root = parse_root(&doc).unwrap();
        prop_assert_eq!(root.get("k"), Some(&Value::String(value)));
    }
}
