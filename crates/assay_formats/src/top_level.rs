//! `top_level.txt`: the import names a distribution provides, one per line.
//!
//! Not standardised: setuptools writes it into `*.egg-info` and `*.dist-info`, and
//! tools (pip's uninstall, `importlib.metadata.packages_distributions`) read it with
//! `str.splitlines()`, stripping each line and skipping blank ones. That is done here.
//! A name that shadows a standard-library or well-known module is for the rules to judge.

use crate::FormatError;
use crate::lines::{Newlines, lines};

/// At most this many lines are read; more is [`FormatError::TooMany`].
pub const MAX_TOP_LEVEL_LINES: usize = 100_000;

/// Parse `top_level.txt` into its names (stripped, blank lines skipped, invalid UTF-8
/// replaced by U+FFFD), in file order.
///
/// # Errors
/// [`FormatError::TooMany`] when the file has more than [`MAX_TOP_LEVEL_LINES`] lines.
pub fn parse_top_level(data: &[u8]) -> Result<Vec<String>, FormatError> {
    let text = String::from_utf8_lossy(data);
    let mut names = Vec::new();
    for (n, line) in lines(&text, Newlines::Python).enumerate() {
        if n >= MAX_TOP_LEVEL_LINES {
            return Err(FormatError::TooMany {
                file: "top_level.txt",
                what: "lines",
                limit: MAX_TOP_LEVEL_LINES,
            });
        }
        let name = line.trim();
        if !name.is_empty() {
            names.push(name.to_owned());
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names() {
        assert_eq!(
            parse_top_level(b"_cffi_backend\ncffi\n").unwrap(),
            ["_cffi_backend", "cffi"]
        );
        assert_eq!(parse_top_level(b"\r\n  os  \r\n\n").unwrap(), ["os"]);
        assert!(parse_top_level(b"").unwrap().is_empty());
    }

    #[test]
    fn line_limit() {
        let data = "a\n".repeat(MAX_TOP_LEVEL_LINES + 1);
        assert!(matches!(
            parse_top_level(data.as_bytes()),
            Err(FormatError::TooMany { .. })
        ));
    }

    proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            if let Ok(names) = parse_top_level(&data) {
                prop_assert!(names.iter().all(|n| !n.is_empty()));
            }
        }
    }
}
