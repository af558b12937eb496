//! Line splitting that matches what Python does with the same bytes.
//!
//! A hostile file can hide a line from a naive `\n` splitter by using another line
//! boundary Python honours (`\r`, form feed, U+2028, …), so each parser states which
//! Python reader it mirrors and uses the matching [`Newlines`] mode.

/// Which set of line boundaries to honour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Newlines {
    /// `\r\n`, `\r` and `\n`: universal newlines (`io.TextIOWrapper`, the `email` parser).
    Universal,
    /// Everything `str.splitlines()` splits on: the universal ones plus `\x0b`, `\x0c`,
    /// `\x1c`, `\x1d`, `\x1e`, `\u{85}`, `\u{2028}` and `\u{2029}`.
    Python,
}

/// Iterator over the lines of a text, without their terminators. Like
/// `str.splitlines()`, a final terminator does not start an empty last line.
pub(crate) struct Lines<'a> {
    rest: &'a str,
    mode: Newlines,
}

/// Split `text` into lines per `mode`.
pub(crate) fn lines(text: &str, mode: Newlines) -> Lines<'_> {
    Lines { rest: text, mode }
}

fn is_boundary(c: char, mode: Newlines) -> bool {
    match mode {
        Newlines::Universal => matches!(c, '\n' | '\r'),
        Newlines::Python => matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        ),
    }
}

impl<'a> Lines<'a> {
    /// The text not yet returned, starting at the next line.
    pub(crate) fn rest(&self) -> &'a str {
        self.rest
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = self.rest;
        match rest
            .char_indices()
            .find(|&(_, c)| is_boundary(c, self.mode))
        {
            None => {
                self.rest = "";
                Some(rest)
            }
            Some((at, c)) => {
                let (line, tail) = rest.split_at(at);
                let mut skip = c.len_utf8();
                if c == '\r' && tail.get(1..).is_some_and(|t| t.starts_with('\n')) {
                    skip += 1;
                }
                self.rest = tail.get(skip..).unwrap_or("");
                Some(line)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universal_newlines() {
        let got: Vec<_> = lines("a\r\nb\rc\n\nd\n", Newlines::Universal).collect();
        assert_eq!(got, ["a", "b", "c", "", "d"]);
        assert_eq!(lines("", Newlines::Universal).count(), 0);
        let got: Vec<_> = lines("a\x0cb", Newlines::Universal).collect();
        assert_eq!(got, ["a\x0cb"]);
    }

    #[test]
    fn python_splitlines() {
        let got: Vec<_> = lines("a\x0cb\u{2028}c\r\n\r\nd", Newlines::Python).collect();
        assert_eq!(got, ["a", "b", "c", "", "d"]);
    }
}
