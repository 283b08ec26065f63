//! Secret templating of env files and Helm values (AP §5.4, HS §3.8 step 7).
//!
//! A deliberately tiny subset of Go `text/template`: exactly three actions,
//! each with optional inner whitespace and Go's `{{- ` / ` -}}` trim markers:
//!
//! - `{{ .Secrets.KEY }}`
//! - `{{ index .Secrets "KEY" }}`
//! - `{{ "literal" }}` (how a literal `{{` is written)
//!
//! Text outside actions is copied verbatim. Anything else inside `{{ … }}` is
//! an error, so nothing a user writes can reach beyond the secrets map.

use std::collections::{BTreeMap, BTreeSet};

mod literal;

/// A template that cannot be rendered. Messages name keys, never secret values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The template references a secret key that does not exist.
    #[error("secret \"{0}\" does not exist")]
    MissingKey(String),
    /// An action outside the supported grammar (its text, cut to 60 characters).
    #[error("unsupported template action: {0}")]
    Unsupported(String),
    /// A `{{` without its closing `}}` (or an unterminated quoted string inside one).
    #[error("unterminated template action: missing \"}}}}\"")]
    Unterminated,
}

/// One parsed element of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Secret(String),
    Literal(String),
}

/// Go's trim markers remove these characters only.
const TRIM_CHARS: [char; 4] = [' ', '\t', '\r', '\n'];
const ACTION_TEXT_MAX_CHARS: usize = 60;

fn is_trim_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// Renders `text`, substituting secret values.
///
/// # Errors
/// `MissingKey` for the first referenced key absent from `secrets`;
/// `Unsupported`/`Unterminated` for grammar errors.
pub fn render_template(
    text: &str,
    secrets: &BTreeMap<String, String>,
) -> Result<String, TemplateError> {
    let pieces = parse(text)?;
    let mut out = String::with_capacity(text.len());
    for piece in &pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Literal(literal) => out.push_str(literal),
            Piece::Secret(key) => match secrets.get(key) {
                Some(value) => out.push_str(value),
                None => return Err(TemplateError::MissingKey(key.clone())),
            },
        }
    }
    Ok(out)
}

/// The secret keys a template references.
///
/// # Errors
/// `Unsupported`/`Unterminated` for grammar errors.
pub fn referenced_keys(text: &str) -> Result<BTreeSet<String>, TemplateError> {
    Ok(parse(text)?
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Secret(key) => Some(key),
            Piece::Text(_) | Piece::Literal(_) => None,
        })
        .collect())
}

fn parse(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut trim_next_text = false;
    loop {
        let Some(open) = rest.find("{{") else {
            push_text(&mut pieces, rest, trim_next_text, false);
            return Ok(pieces);
        };
        let (before, from_open) = rest.split_at(open);
        let after_open = from_open.get(2..).unwrap_or_default();
        let bytes = after_open.as_bytes();
        let left_trim =
            bytes.first() == Some(&b'-') && bytes.get(1).copied().is_some_and(is_trim_space);
        push_text(&mut pieces, before, trim_next_text, left_trim);
        let inner_start = if left_trim {
            after_open.get(1..).unwrap_or_default()
        } else {
            after_open
        };

        let close = find_close(inner_start)?;
        let (mut inner, from_close) = inner_start.split_at(close);
        let after_close = from_close.get(2..).unwrap_or_default();
        let inner_bytes = inner.as_bytes();
        let right_trim = inner_bytes.len() >= 2
            && inner_bytes.last() == Some(&b'-')
            && inner_bytes
                .get(inner_bytes.len() - 2)
                .copied()
                .is_some_and(is_trim_space);
        if right_trim {
            inner = inner.get(..inner.len() - 1).unwrap_or_default();
        }
        let action_text = from_open
            .get(..from_open.len() - after_close.len())
            .unwrap_or_default();
        let piece = parse_action(inner.trim_matches(TRIM_CHARS)).ok_or_else(|| {
            TemplateError::Unsupported(truncate_chars(action_text, ACTION_TEXT_MAX_CHARS))
        })?;
        pieces.push(piece);
        trim_next_text = right_trim;
        rest = after_close;
    }
}

fn push_text<'a>(pieces: &mut Vec<Piece<'a>>, text: &'a str, trim_start: bool, trim_end: bool) {
    let text = if trim_start {
        text.trim_start_matches(TRIM_CHARS)
    } else {
        text
    };
    let text = if trim_end {
        text.trim_end_matches(TRIM_CHARS)
    } else {
        text
    };
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
}

/// Byte offset of the `}}` closing the action that starts at `inner`, skipping
/// `}}` inside quoted strings as Go's lexer does.
fn find_close(inner: &str) -> Result<usize, TemplateError> {
    let bytes = inner.as_bytes();
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'"' => {
                index = literal::end_of_quoted(bytes, index).ok_or(TemplateError::Unterminated)?
            }
            b'`' => index = literal::end_of_raw(bytes, index).ok_or(TemplateError::Unterminated)?,
            b'}' if bytes.get(index + 1) == Some(&b'}') => return Ok(index),
            _ => index += 1,
        }
    }
    Err(TemplateError::Unterminated)
}

/// Parses the trimmed content of one action against the supported grammar.
fn parse_action(content: &str) -> Option<Piece<'static>> {
    if let Some(key) = content.strip_prefix(".Secrets.") {
        return is_identifier(key).then(|| Piece::Secret(key.to_owned()));
    }
    if content.starts_with(['"', '`']) {
        let (value, rest) = literal::parse(content)?;
        return rest.is_empty().then_some(Piece::Literal(value));
    }
    let args = content.strip_prefix("index")?;
    let args = strip_required_space(args)?;
    let args = args.strip_prefix(".Secrets")?;
    let args = strip_required_space(args)?;
    let (key, rest) = literal::parse(args)?;
    rest.is_empty().then_some(Piece::Secret(key))
}

fn strip_required_space(text: &str) -> Option<&str> {
    let trimmed = text.trim_start_matches(TRIM_CHARS);
    (trimmed.len() < text.len()).then_some(trimmed)
}

/// A Go field name usable after `.Secrets.`.
fn is_identifier(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests;
