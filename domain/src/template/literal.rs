//! Go string literals inside template actions: interpreted (`"…"`, with Go's
//! escapes) and raw (`` `…` ``).

/// Index just past the `"` closing the interpreted string opening at `start`.
/// `None` when it is unterminated (Go forbids a newline inside).
pub(super) fn end_of_quoted(bytes: &[u8], start: usize) -> Option<usize> {
    let mut index = start + 1;
    loop {
        match bytes.get(index)? {
            b'\\' => index += 2,
            b'"' => return Some(index + 1),
            b'\n' => return None,
            _ => index += 1,
        }
    }
}

/// Index just past the backtick closing the raw string opening at `start`.
pub(super) fn end_of_raw(bytes: &[u8], start: usize) -> Option<usize> {
    let offset = bytes.get(start + 1..)?.iter().position(|b| *b == b'`')?;
    Some(start + 1 + offset + 1)
}

/// Parses the string literal at the start of `text`; returns its value and the
/// text after it. `None` for anything Go's `strconv.Unquote` would reject.
pub(super) fn parse(text: &str) -> Option<(String, &str)> {
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'`' => {
            let end = end_of_raw(bytes, 0)?;
            let body = text.get(1..end - 1)?;
            // Go discards carriage returns inside raw strings.
            Some((body.replace('\r', ""), text.get(end..)?))
        }
        b'"' => {
            let end = end_of_quoted(bytes, 0)?;
            let value = unescape(bytes.get(1..end - 1)?)?;
            Some((value, text.get(end..)?))
        }
        _ => None,
    }
}

/// Decodes Go escapes; byte escapes (`\xHH`, `\ooo`) must still form UTF-8.
fn unescape(body: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(body.len());
    let mut index = 0;
    while let Some(&byte) = body.get(index) {
        if byte != b'\\' {
            out.push(byte);
            index += 1;
            continue;
        }
        let escape = *body.get(index + 1)?;
        index += 2;
        let simple = match escape {
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'\\' => Some(b'\\'),
            b'"' => Some(b'"'),
            _ => None,
        };
        if let Some(decoded) = simple {
            out.push(decoded);
            continue;
        }
        match escape {
            b'x' => {
                out.push(u8::try_from(parse_radix(body.get(index..index + 2)?, 16)?).ok()?);
                index += 2;
            }
            b'0'..=b'7' => {
                let value = parse_radix(body.get(index - 1..index + 2)?, 8)?;
                out.push(u8::try_from(value).ok()?);
                index += 2;
            }
            b'u' | b'U' => {
                let width = if escape == b'u' { 4 } else { 8 };
                let code = parse_radix(body.get(index..index + width)?, 16)?;
                let mut buffer = [0; 4];
                out.extend_from_slice(char::from_u32(code)?.encode_utf8(&mut buffer).as_bytes());
                index += width;
            }
            _ => return None,
        }
    }
    String::from_utf8(out).ok()
}

fn parse_radix(digits: &[u8], radix: u32) -> Option<u32> {
    let text = std::str::from_utf8(digits).ok()?;
    if !text.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u32::from_str_radix(text, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_escapes_decode() {
        let (value, rest) = parse(r#""a\n\t\"\\\x41\101\u00e9\U0001F600" tail"#).unwrap();
        assert_eq!(value, "a\n\t\"\\AAé😀");
        assert_eq!(rest, " tail");
    }

    #[test]
    fn raw_strings_keep_backslashes_and_drop_carriage_returns() {
        assert_eq!(parse("`a\\n\r\nb`").unwrap().0, "a\\n\nb");
    }

    #[test]
    fn invalid_literals_are_rejected() {
        for bad in [
            r#""\q""#,
            r#""\xZZ""#,
            r#""\400""#,
            r#""\xff""#,
            r#""\ud800""#,
            "\"a\nb\"",
            "\"open",
            "`open",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
