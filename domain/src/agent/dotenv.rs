//! Env-file parsing with dotenv rules, for swarm deploys (AP §7.4), whose
//! `docker stack deploy` takes no `--env-file`.
//!
//! Rules: blank lines and `#` comment lines are skipped; an optional
//! `export ` prefix; `KEY=value` with spaces allowed around `=`; `'…'` is
//! literal; `"…"` understands `\n \r \t \" \\ \$` (other escapes stay as
//! written); quoted values may span lines; an unquoted value ends at the
//! line end or at a `#` preceded by whitespace, and is trimmed. Variables
//! are not expanded: Compose already interpolates the YAML with these pairs.

use crate::agent::AgentDecisionError;

/// Parses an env file into `(key, value)` pairs in file order. A repeated key
/// appears twice; applied in order, the last one wins.
///
/// # Errors
/// `Dotenv` with the line number for a missing key or `=`, an invalid key,
/// an unterminated quote or text after a closing quote. Errors never quote
/// the file, which holds secrets.
pub fn parse_dotenv(text: &str) -> Result<Vec<(String, String)>, AgentDecisionError> {
    let mut parser = Parser {
        rest: text,
        line: 1,
        entry_line: 1,
    };
    let mut pairs = Vec::new();
    while parser.skip_blank_and_comments() {
        pairs.push(parser.entry()?);
    }
    Ok(pairs)
}

struct Parser<'a> {
    rest: &'a str,
    line: usize,
    /// Where the current entry starts; errors point there.
    entry_line: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> AgentDecisionError {
        AgentDecisionError::Dotenv {
            line: self.entry_line,
            reason,
        }
    }

    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.rest = self.rest.get(c.len_utf8()..).unwrap_or_default();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    fn skip_to_line_end(&mut self) {
        while self.peek().is_some_and(|c| c != '\n') {
            self.bump();
        }
    }

    /// Skips whitespace and comment lines; `false` at the end of the text.
    fn skip_blank_and_comments(&mut self) -> bool {
        loop {
            match self.peek() {
                None => return false,
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('#') => self.skip_to_line_end(),
                Some(_) => return true,
            }
        }
    }

    fn word(&mut self) -> &str {
        let end = self
            .rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '#')
            .unwrap_or(self.rest.len());
        let (word, rest) = self.rest.split_at(end);
        self.rest = rest;
        word
    }

    fn entry(&mut self) -> Result<(String, String), AgentDecisionError> {
        self.entry_line = self.line;
        let mut key = self.word().to_owned();
        if key == "export" && matches!(self.peek(), Some(' ' | '\t')) {
            self.skip_spaces();
            key = self.word().to_owned();
        }
        if key.is_empty() {
            return Err(self.error("missing key"));
        }
        if !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return Err(self.error("invalid key"));
        }
        self.skip_spaces();
        if self.bump() != Some('=') {
            return Err(self.error("expected '=' after the key"));
        }
        let spaced = matches!(self.peek(), Some(' ' | '\t'));
        self.skip_spaces();
        let value = match self.peek() {
            Some('\'') => {
                self.bump();
                let value = self.single_quoted()?;
                self.after_quote()?;
                value
            }
            Some('"') => {
                self.bump();
                let value = self.double_quoted()?;
                self.after_quote()?;
                value
            }
            _ => self.unquoted(spaced),
        };
        Ok((key, value))
    }

    fn single_quoted(&mut self) -> Result<String, AgentDecisionError> {
        let mut value = String::new();
        loop {
            match self.bump() {
                Some('\'') => return Ok(value),
                Some(c) => value.push(c),
                None => return Err(self.error("unterminated single quote")),
            }
        }
    }

    fn double_quoted(&mut self) -> Result<String, AgentDecisionError> {
        let unterminated = self.error("unterminated double quote");
        let mut value = String::new();
        loop {
            match self.bump() {
                Some('"') => return Ok(value),
                Some('\\') => match self.bump() {
                    Some('n') => value.push('\n'),
                    Some('r') => value.push('\r'),
                    Some('t') => value.push('\t'),
                    Some(c @ ('"' | '\\' | '$')) => value.push(c),
                    Some(c) => {
                        value.push('\\');
                        value.push(c);
                    }
                    None => return Err(unterminated),
                },
                Some(c) => value.push(c),
                None => return Err(unterminated),
            }
        }
    }

    /// After a closing quote only spaces and a comment may follow.
    fn after_quote(&mut self) -> Result<(), AgentDecisionError> {
        self.skip_spaces();
        match self.peek() {
            None | Some('\n') => Ok(()),
            Some('\r') if self.rest.starts_with("\r\n") => Ok(()),
            Some('#') => {
                self.skip_to_line_end();
                Ok(())
            }
            Some(_) => Err(self.error("unexpected text after a quoted value")),
        }
    }

    fn unquoted(&mut self, spaced: bool) -> String {
        let end = self.rest.find('\n').unwrap_or(self.rest.len());
        let (raw, rest) = self.rest.split_at(end);
        self.rest = rest;
        // A `#` starts a comment only after whitespace, including the
        // spaces after `=` that were already skipped.
        let mut cut = raw.len();
        let mut prev_space = spaced;
        for (i, c) in raw.char_indices() {
            if c == '#' && prev_space {
                cut = i;
                break;
            }
            prev_space = c == ' ' || c == '\t';
        }
        raw.get(..cut).unwrap_or(raw).trim().to_owned()
    }
}

#[cfg(test)]
mod tests;
