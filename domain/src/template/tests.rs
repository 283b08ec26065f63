use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;

fn secrets(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn render(text: &str) -> Result<String, TemplateError> {
    render_template(
        text,
        &secrets(&[
            ("DB_PASSWORD", "s3cr3t"),
            ("TOKEN", "tok"),
            ("with space", "ws"),
        ]),
    )
}

#[test]
fn the_three_actions_render() {
    assert_eq!(
        render("PW={{ .Secrets.DB_PASSWORD }}").unwrap(),
        "PW=s3cr3t"
    );
    assert_eq!(render("PW={{.Secrets.DB_PASSWORD}}").unwrap(), "PW=s3cr3t");
    assert_eq!(
        render(r#"T={{ index .Secrets "TOKEN" }}"#).unwrap(),
        "T=tok"
    );
    assert_eq!(
        render(r#"K={{ index .Secrets "with space" }}"#).unwrap(),
        "K=ws"
    );
    assert_eq!(
        render(r#"{{ "{{" }} .Secrets.X }}"#).unwrap(),
        "{{ .Secrets.X }}"
    );
    assert_eq!(render("{{ `raw \\n` }}").unwrap(), "raw \\n");
    assert_eq!(render("{{\t.Secrets.TOKEN\n}}").unwrap(), "tok");
}

#[test]
fn text_outside_actions_is_verbatim() {
    let text = "A=1\n# comment }} {\nB= two \n";
    assert_eq!(render(text).unwrap(), text);
}

#[test]
fn trim_markers_remove_all_adjacent_whitespace() {
    assert_eq!(
        render("a  \n\t{{- .Secrets.TOKEN -}} \n\n b").unwrap(),
        "atokb"
    );
    assert_eq!(render("a {{- .Secrets.TOKEN }} b").unwrap(), "atok b");
    assert_eq!(render("a {{ .Secrets.TOKEN -}} b").unwrap(), "a tokb");
    assert_eq!(render("{{ \"x\" -}}   {{- \"y\" }}").unwrap(), "xy");
    // Trimming stops at non-whitespace and never touches rendered values.
    assert_eq!(render("x{{ \" v \" -}} \n").unwrap(), "x v ");
}

#[test]
fn a_dash_without_a_space_is_not_a_trim_marker() {
    assert!(matches!(
        render("{{-.Secrets.TOKEN}}"),
        Err(TemplateError::Unsupported(_))
    ));
    assert!(matches!(
        render("{{.Secrets.TOKEN-}}"),
        Err(TemplateError::Unsupported(_))
    ));
    assert!(matches!(
        render("{{-}}"),
        Err(TemplateError::Unsupported(_))
    ));
    assert!(matches!(
        render("{{- -}}"),
        Err(TemplateError::Unsupported(_))
    ));
}

#[test]
fn missing_keys_are_named() {
    let err = render("{{ .Secrets.NOPE }}").unwrap_err();
    assert_eq!(err, TemplateError::MissingKey("NOPE".into()));
    assert_eq!(err.to_string(), "secret \"NOPE\" does not exist");
    assert_eq!(
        render(r#"{{ index .Secrets "gone" }}"#)
            .unwrap_err()
            .to_string(),
        "secret \"gone\" does not exist"
    );
}

#[test]
fn other_constructs_are_unsupported() {
    for bad in [
        "{{ .Values.x }}",
        "{{ .Secrets }}",
        "{{ .Secrets.A.B }}",
        "{{ .Secrets.1A }}",
        "{{ index .Secrets \"A\" \"B\" }}",
        "{{ index .Secrets A }}",
        "{{index.Secrets \"A\"}}",
        "{{ (index .Secrets \"A\") }}",
        "{{ \"a\" | printf }}",
        "{{/* comment */}}",
        "{{ }}",
        "{{ env \"HOME\" }}",
        "{{ 'c' }}",
        "{{ \"\\q\" }}",
    ] {
        assert!(
            matches!(render(bad), Err(TemplateError::Unsupported(_))),
            "{bad}"
        );
    }
}

#[test]
fn unsupported_action_text_is_included_and_cut_to_60_characters() {
    assert_eq!(
        render("x {{ .Values.x }} y").unwrap_err().to_string(),
        "unsupported template action: {{ .Values.x }}"
    );
    let long = format!("{{{{ {} }}}}", "z".repeat(100));
    let TemplateError::Unsupported(text) = render(&long).unwrap_err() else {
        panic!("expected Unsupported")
    };
    assert_eq!(text.chars().count(), 60);
    assert!(text.starts_with("{{ zzz"));
}

#[test]
fn unterminated_actions_are_errors() {
    for bad in [
        "{{ .Secrets.TOKEN",
        "a {{",
        "{{ \"}} ",
        "{{ \"a\nb\" }}",
        "{{ `open }}",
    ] {
        assert_eq!(render(bad), Err(TemplateError::Unterminated), "{bad:?}");
    }
}

#[test]
fn closing_braces_inside_literals_do_not_end_the_action() {
    assert_eq!(render(r#"{{ "}}" }}"#).unwrap(), "}}");
    assert_eq!(render("{{ `}}` }}").unwrap(), "}}");
}

#[test]
fn referenced_keys_lists_every_key_once() {
    let keys =
        referenced_keys("{{ .Secrets.A }} {{ index .Secrets \"B\" }} {{ .Secrets.A }} {{ \"C\" }}")
            .unwrap();
    assert_eq!(keys, BTreeSet::from(["A".to_owned(), "B".to_owned()]));
    assert!(referenced_keys("{{ nope }}").is_err());
}

/// Quotes `value` as a Go interpreted string literal.
fn go_quote(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\U{:08x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Secret(String, bool),
    Literal(String),
}

fn arb_part() -> impl Strategy<Value = Part> {
    prop_oneof![
        "[^{]{0,12}".prop_map(Part::Text),
        ("[A-Z][A-Z0-9_]{0,6}", any::<bool>()).prop_map(|(k, index)| Part::Secret(k, index)),
        "\\PC{0,8}".prop_map(Part::Literal),
    ]
}

proptest! {
    #[test]
    fn rendering_never_panics(text in "[{}\\-\" `\\\\.a-zA-Z\n\t]{0,60}") {
        let _ = render(&text);
        let _ = referenced_keys(&text);
    }

    #[test]
    fn rendering_never_panics_on_any_text(text in "\\PC{0,80}") {
        let _ = render(&text);
    }

    #[test]
    fn text_without_actions_renders_verbatim(text in "[^{]{0,80}|([^{]{0,10}\\{[^{]){0,5}") {
        prop_assert_eq!(render(&text), Ok(text.clone()));
        prop_assert!(referenced_keys(&text).unwrap().is_empty());
    }

    #[test]
    fn any_literal_escapes_itself(value in "\\PC{0,30}") {
        prop_assert_eq!(render(&format!("{{{{ {} }}}}", go_quote(&value))), Ok(value));
    }

    #[test]
    fn composed_templates_render_piecewise(parts in prop::collection::vec(arb_part(), 0..8), pad in "[ \t]{0,2}") {
        let mut template = String::new();
        let mut expected = String::new();
        let mut keys = BTreeSet::new();
        let mut values = BTreeMap::new();
        for part in &parts {
            match part {
                Part::Text(text) => {
                    // Keep a trailing `{` from merging with the next action's `{{`.
                    template.push_str(text);
                    template.push(' ');
                    expected.push_str(text);
                    expected.push(' ');
                }
                Part::Secret(key, index) => {
                    let value = format!("<{}>", key.to_lowercase());
                    if *index {
                        template.push_str(&format!("{{{{{pad}index .Secrets \"{key}\"{pad}}}}}"));
                    } else {
                        template.push_str(&format!("{{{{{pad}.Secrets.{key}{pad}}}}}"));
                    }
                    expected.push_str(&value);
                    keys.insert(key.clone());
                    values.insert(key.clone(), value);
                }
                Part::Literal(literal) => {
                    template.push_str(&format!("{{{{{pad}{}{pad}}}}}", go_quote(literal)));
                    expected.push_str(literal);
                }
            }
        }
        prop_assert_eq!(render_template(&template, &values), Ok(expected));
        prop_assert_eq!(referenced_keys(&template), Ok(keys));
    }

    #[test]
    fn errors_never_contain_secret_values(text in "[{}\\-\" .a-zA-Z]{0,60}", value in "[#%&]{4,10}") {
        let map = secrets(&[("A", value.as_str()), ("B", value.as_str())]);
        if let Err(err) = render_template(&text, &map) {
            prop_assert!(!err.to_string().contains(&value));
        }
    }

    #[test]
    fn trim_markers_equal_manual_trimming(before in "[a-z]{0,3}[ \t\n]{0,3}", after in "[ \t\n]{0,3}[a-z]{0,3}") {
        let text = format!("{before}{{{{- \"x\" -}}}}{after}");
        let expected = format!("{}x{}", before.trim_end(), after.trim_start());
        prop_assert_eq!(render(&text), Ok(expected));
    }
}
