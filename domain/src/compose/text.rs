//! Line-based editing of a top-level key in block-mapping YAML text.
//!
//! This is a best-effort edit: callers re-parse the result and fall back to
//! re-encoding whenever the edit does not mean exactly what was intended.

/// Replaces the first top-level `key:` entry (its line plus indented
/// continuation lines) with `new_line`, or removes it when `new_line` is
/// `None`. Without such an entry, inserts `new_line` before the first
/// top-level line. `None` when there is no safe place to edit.
pub(super) fn replace_top_level_key(
    yaml: &str,
    key: &str,
    new_line: Option<&str>,
) -> Option<String> {
    if yaml.starts_with('\u{feff}') {
        return None;
    }
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let newline = if lines.first().is_some_and(|line| line.ends_with("\r\n")) {
        "\r\n"
    } else {
        "\n"
    };
    let replacement = new_line
        .map(|line| format!("{line}{newline}"))
        .unwrap_or_default();

    let (start, end) = match lines.iter().position(|line| is_key_line(line, key)) {
        Some(start) => (start, entry_end(&lines, start)),
        None => {
            // Nothing to remove, or insert before the first top-level content line.
            new_line?;
            let first = lines.iter().position(|line| is_top_level_content(line))?;
            (first, first)
        }
    };
    let mut out = String::with_capacity(yaml.len() + replacement.len());
    for line in lines.get(..start)? {
        out.push_str(line);
    }
    // A last line without a terminator must not swallow the inserted line.
    if start > 0 && !out.ends_with('\n') {
        out.push_str(newline);
    }
    out.push_str(&replacement);
    for line in lines.get(end..)? {
        out.push_str(line);
    }
    Some(out)
}

/// A line starting a top-level mapping entry (not blank, comment, indented,
/// a sequence entry, a directive or a document marker).
fn is_top_level_content(line: &str) -> bool {
    if line.starts_with("---") || line.starts_with("...") {
        return false;
    }
    match line.chars().next() {
        None | Some(' ' | '\t' | '\r' | '\n' | '#' | '%') => false,
        Some('-') => !(line.starts_with("- ") || line.trim_end() == "-"),
        Some(_) => true,
    }
}

/// `key:`, `"key":` or `'key':` at column 0, followed by a blank, a comment or the line end.
fn is_key_line(line: &str, key: &str) -> bool {
    let rest = [key.to_owned(), format!("\"{key}\""), format!("'{key}'")]
        .iter()
        .find_map(|spelling| line.strip_prefix(spelling.as_str()))
        .map(|rest| rest.trim_start_matches([' ', '\t']));
    let Some(after_colon) = rest.and_then(|rest| rest.strip_prefix(':')) else {
        return false;
    };
    after_colon.is_empty() || after_colon.starts_with([' ', '\t', '\r', '\n'])
}

/// End (exclusive) of the entry starting at `start`: indented or blank lines
/// follow it, minus trailing blank lines, which stay with the next entry.
fn entry_end(lines: &[&str], start: usize) -> usize {
    let mut end = start + 1;
    while lines
        .get(end)
        .is_some_and(|line| is_blank(line) || line.starts_with([' ', '\t']))
    {
        end += 1;
    }
    while end > start + 1 && lines.get(end - 1).is_some_and(|line| is_blank(line)) {
        end -= 1;
    }
    end
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}
