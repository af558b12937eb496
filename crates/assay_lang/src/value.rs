//! Constant values the folder can compute, and Python string-literal decoding.

/// A constant computed from literals without running anything.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `str`.
    Str(String),
    /// `bytes` / `bytearray`.
    Bytes(Vec<u8>),
    /// `int` (bounded to i64).
    Int(i64),
    /// `list` / `tuple`.
    List(Vec<Value>),
    /// A module object, e.g. the result of `__import__('os')`.
    Module(String),
    /// An element of a folded list whose value is not known (e.g. `sys.executable`).
    Unknown,
}

impl Value {
    /// The value as bytes (str as UTF-8), when it is text-like.
    pub fn as_bytes(&self) -> Option<Vec<u8>> {
        match self {
            Value::Str(s) => Some(s.as_bytes().to_vec()),
            Value::Bytes(b) => Some(b.clone()),
            _ => None,
        }
    }

    /// The value as text (bytes decoded lossily), when it is text-like.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }

    /// Approximate size in bytes (for bounds).
    pub fn size(&self) -> usize {
        match self {
            Value::Str(s) => s.len(),
            Value::Bytes(b) => b.len(),
            Value::Int(_) => 8,
            Value::List(v) => v.iter().map(Value::size).sum::<usize>() + v.len(),
            Value::Module(m) => m.len(),
            Value::Unknown => 1,
        }
    }
}

/// Decode one Python string literal's source text (prefix, quotes and body), e.g.
/// `rb'\x41'`, `"a\n"`, `'''x'''`. f-strings keep their literal text with `{…}` parts
/// as written. Returns `None` if it is not a string literal.
pub fn parse_string_literal(src: &str) -> Option<Value> {
    let quote_pos = src.find(['\'', '"'])?;
    let prefix = src.get(..quote_pos)?.to_ascii_lowercase();
    if prefix.len() > 3 || !prefix.chars().all(|c| matches!(c, 'r' | 'b' | 'u' | 'f')) {
        return None;
    }
    let rest = src.get(quote_pos..)?;
    let q = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
        3
    } else {
        1
    };
    if rest.len() < 2 * q {
        return None;
    }
    let body = rest.get(q..rest.len() - q)?;
    let raw = prefix.contains('r');
    let is_bytes = prefix.contains('b');
    let bytes = if raw {
        body.as_bytes().to_vec()
    } else {
        unescape(body, is_bytes)
    };
    Some(if is_bytes {
        Value::Bytes(bytes)
    } else {
        Value::Str(String::from_utf8_lossy(&bytes).into_owned())
    })
}

/// Python escape sequences: `\n \t \r \\ \' \" \a \b \f \v \0-\777 \xhh` and, for
/// str, `\uXXXX \UXXXXXXXX \N{…}` (the last kept as written). Line continuations drop.
fn unescape(body: &str, is_bytes: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let Some(e) = chars.next() else {
            out.push(b'\\');
            break;
        };
        match e {
            '\n' => {}
            'n' => out.push(b'\n'),
            't' => out.push(b'\t'),
            'r' => out.push(b'\r'),
            'a' => out.push(7),
            'b' => out.push(8),
            'f' => out.push(12),
            'v' => out.push(11),
            '\\' => out.push(b'\\'),
            '\'' => out.push(b'\''),
            '"' => out.push(b'"'),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                push_code(&mut out, v, is_bytes);
            }
            'x' => {
                let h: String = chars.by_ref().take(2).collect();
                match u32::from_str_radix(&h, 16) {
                    Ok(v) => push_code(&mut out, v, is_bytes),
                    Err(_) => out.extend_from_slice(format!("\\x{h}").as_bytes()),
                }
            }
            'u' | 'U' if !is_bytes => {
                let n = if e == 'u' { 4 } else { 8 };
                let h: String = chars.by_ref().take(n).collect();
                match u32::from_str_radix(&h, 16).ok().and_then(char::from_u32) {
                    Some(ch) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    None => out.extend_from_slice(format!("\\{e}{h}").as_bytes()),
                }
            }
            other => {
                out.push(b'\\');
                let mut buf = [0u8; 4];
                out.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out
}

fn push_code(out: &mut Vec<u8>, v: u32, is_bytes: bool) {
    if is_bytes {
        out.push((v & 0xff) as u8);
    } else if let Some(ch) = char::from_u32(v) {
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(
            parse_string_literal(r#""a\nb""#),
            Some(Value::Str("a\nb".into()))
        );
        assert_eq!(
            parse_string_literal(r"b'\x41\102'"),
            Some(Value::Bytes(b"AB".to_vec()))
        );
        assert_eq!(
            parse_string_literal(r"r'\x41'"),
            Some(Value::Str(r"\x41".into()))
        );
        assert_eq!(
            parse_string_literal("'''x'y'''"),
            Some(Value::Str("x'y".into()))
        );
        assert_eq!(
            parse_string_literal(r"'\u0041'"),
            Some(Value::Str("A".into()))
        );
        assert_eq!(parse_string_literal("x"), None);
    }
}
