use proptest::prelude::*;

use super::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn comments_export_and_quotes_follow_dotenv_rules() {
    let text = "# leading comment\n\
        \n\
        export A=1\n\
        B = two words  # trailing comment\n\
        C='single $literal \\n # not a comment'\n\
        D=\"line1\\nline2 \\\"q\\\" \\$x \\w\" # comment\n\
        E=\n\
        F=a#b\n\
        G= #only a comment\n\
        H.x-y=\"multi\n\
        line\"\r\n\
        I=last";
    assert_eq!(
        parse_dotenv(text).unwrap(),
        pairs(&[
            ("A", "1"),
            ("B", "two words"),
            ("C", "single $literal \\n # not a comment"),
            ("D", "line1\nline2 \"q\" $x \\w"),
            ("E", ""),
            ("F", "a#b"),
            ("G", ""),
            ("H.x-y", "multi\nline"),
            ("I", "last"),
        ])
    );
}

#[test]
fn crlf_lines_are_trimmed() {
    assert_eq!(
        parse_dotenv("A=1\r\nB='2'\r\n").unwrap(),
        pairs(&[("A", "1"), ("B", "2")])
    );
}

#[test]
fn errors_name_the_line_but_not_the_content() {
    let err = parse_dotenv("A=1\nSECRETVALUE\n").unwrap_err();
    assert_eq!(
        err,
        AgentDecisionError::Dotenv {
            line: 2,
            reason: "expected '=' after the key"
        }
    );
    assert!(!err.to_string().contains("SECRETVALUE"));
    assert_eq!(
        parse_dotenv("A=1\nB=\"open\n\n").unwrap_err(),
        AgentDecisionError::Dotenv {
            line: 2,
            reason: "unterminated double quote"
        }
    );
    assert_eq!(
        parse_dotenv("A='x'y\n").unwrap_err(),
        AgentDecisionError::Dotenv {
            line: 1,
            reason: "unexpected text after a quoted value"
        }
    );
    assert!(parse_dotenv("=value\n").is_err());
    assert!(parse_dotenv("A$B=1\n").is_err());
}

#[test]
fn an_empty_file_has_no_pairs() {
    assert_eq!(parse_dotenv("").unwrap(), vec![]);
    assert_eq!(parse_dotenv("\n# only\n   \n").unwrap(), vec![]);
}

fn render_double(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '"' | '\\' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #[test]
    fn parse_dotenv_never_panics(text in any::<String>()) {
        let _ = parse_dotenv(&text);
    }

    #[test]
    fn double_quoted_values_round_trip(entries in proptest::collection::vec(("[A-Za-z_][A-Za-z0-9_]{0,10}", any::<String>()), 0..8)) {
        let text: String = entries.iter().map(|(k, v)| format!("{k}={}\n", render_double(v))).collect();
        prop_assert_eq!(parse_dotenv(&text).unwrap(), entries);
    }

    #[test]
    fn single_quoted_values_round_trip(entries in proptest::collection::vec(("[A-Za-z_][A-Za-z0-9_]{0,10}", "[^']*"), 0..8)) {
        let text: String = entries.iter().map(|(k, v)| format!("export {k} = '{v}' # note\n")).collect();
        prop_assert_eq!(parse_dotenv(&text).unwrap(), entries);
    }

    #[test]
    fn unquoted_values_are_trimmed_up_to_a_comment(key in "[A-Za-z_][A-Za-z0-9_]{0,10}", value in "[^\\s#'\"][^\\n\\r#]*", comment in "[^\\n]*") {
        let text = format!("{key}={value} #{comment}\n");
        prop_assert_eq!(parse_dotenv(&text).unwrap(), vec![(key, value.trim().to_owned())]);
    }
}
