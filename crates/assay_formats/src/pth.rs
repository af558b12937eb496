//! `.pth` path configuration files, as the `site` module reads them at every
//! interpreter start (`site.addpackage`).
//!
//! For each line, in order, `site` does:
//!
//! 1. a line starting with `#` is a comment (no leading whitespace allowed);
//! 2. a line that is empty after stripping whitespace is skipped;
//! 3. a line starting with `import ` or `import\t` is passed to `exec()` — this is
//!    code that runs at **every** interpreter start (execution context `startup`);
//! 4. anything else, right-stripped, is a directory appended to `sys.path` if it exists.
//!
//! Python 3.13 decodes the file as `utf-8-sig` (a leading BOM is dropped) and splits it
//! with `str.splitlines()`; earlier versions read it with universal newlines in the
//! locale encoding. This parser takes the union that can make a line executable: it
//! drops a leading BOM and splits on every `str.splitlines()` boundary, so a line hidden
//! behind a form feed or U+2028 is still seen as the `import` line 3.13 executes.
//! Bytes that are not UTF-8 are replaced by U+FFFD (and flagged).

use crate::FormatError;
use crate::lines::{Newlines, lines};

/// At most this many non-executable lines are kept in [`Pth::lines`]; later ones are
/// counted in [`Pth::skipped`]. Executable (`import`) lines are always kept, up to
/// [`MAX_PTH_IMPORTS`]: a payload on line 100,001 runs like one on line 1.
pub const MAX_PTH_LINES: usize = 100_000;

/// At most this many executable lines; more is [`FormatError::TooMany`] (which the rules
/// report as a startup file that could not be inspected, never as clean).
pub const MAX_PTH_IMPORTS: usize = 10_000;

/// Text of a comment or path line kept in a [`PthKind`] is cut to this many bytes (at a
/// character boundary); the kind is decided on the whole line first.
pub const MAX_PTH_LINE_LEN: usize = 64 * 1024;

/// An executable line is kept whole up to this many bytes (the largest text the Python
/// analysis parses): `site` executes the whole line, so a payload placed after the first
/// 64 KiB must still be seen. Longer lines are cut and marked [`PthLine::truncated`].
pub const MAX_PTH_IMPORT_LEN: usize = 16 << 20;

/// What one line of a `.pth` file does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PthKind {
    /// Starts with `#`.
    Comment,
    /// Empty or whitespace only.
    Blank,
    /// Executed at interpreter start: the whole line, as passed to `exec()`.
    Import(String),
    /// A `sys.path` entry: the line with trailing whitespace removed.
    Path(String),
}

/// One line of a `.pth` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PthLine {
    /// 1-based line number (counting every `str.splitlines()` boundary).
    pub line_no: usize,
    /// What `site` does with it.
    pub kind: PthKind,
    /// Whether the text in `kind` was cut ([`MAX_PTH_LINE_LEN`], or [`MAX_PTH_IMPORT_LEN`]
    /// for an executable line).
    pub truncated: bool,
}

/// A parsed `.pth` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pth {
    /// Every line, in order.
    pub lines: Vec<PthLine>,
    /// Whether the file had bytes that are not UTF-8.
    pub invalid_utf8: bool,
    /// Non-executable lines past [`MAX_PTH_LINES`], counted but not kept.
    pub skipped: usize,
}

impl Pth {
    /// The lines `site` executes: `(line number, code)`.
    pub fn imports(&self) -> impl Iterator<Item = (usize, &str)> {
        self.lines.iter().filter_map(|l| match &l.kind {
            PthKind::Import(code) => Some((l.line_no, code.as_str())),
            _ => None,
        })
    }
}

/// Parse a `.pth` file.
///
/// # Errors
/// [`FormatError::TooMany`] when the file has more than [`MAX_PTH_IMPORTS`] executable
/// lines.
pub fn parse_pth(data: &[u8]) -> Result<Pth, FormatError> {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let text = String::from_utf8_lossy(data);
    let mut out = Pth {
        lines: Vec::new(),
        invalid_utf8: matches!(text, std::borrow::Cow::Owned(_)),
        skipped: 0,
    };
    let mut imports = 0usize;
    for (n, line) in lines(&text, Newlines::Python).enumerate() {
        let line_no = n + 1;
        let executable = line.starts_with("import ") || line.starts_with("import\t");
        if executable {
            imports += 1;
            if imports > MAX_PTH_IMPORTS {
                return Err(FormatError::TooMany {
                    file: ".pth",
                    what: "executable lines",
                    limit: MAX_PTH_IMPORTS,
                });
            }
        } else if out.lines.len() >= MAX_PTH_LINES {
            out.skipped += 1;
            continue;
        }
        let (kind, truncated) = if line.starts_with('#') {
            (PthKind::Comment, false)
        } else if line.trim().is_empty() {
            (PthKind::Blank, false)
        } else if executable {
            let (text, cut) = clip(line, MAX_PTH_IMPORT_LEN);
            (PthKind::Import(text), cut)
        } else {
            let (text, cut) = clip(line.trim_end(), MAX_PTH_LINE_LEN);
            (PthKind::Path(text), cut)
        };
        out.lines.push(PthLine {
            line_no,
            kind,
            truncated,
        });
    }
    Ok(out)
}

fn clip(s: &str, max: usize) -> (String, bool) {
    if s.len() <= max {
        return (s.to_owned(), false);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (s.get(..end).unwrap_or_default().to_owned(), true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds(data: &[u8]) -> Vec<PthKind> {
        parse_pth(data)
            .unwrap()
            .lines
            .into_iter()
            .map(|l| l.kind)
            .collect()
    }

    #[test]
    fn real_pth_files() {
        // setuptools' distutils-precedence.pth and an editable install's path file.
        let data = b"import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n";
        let pth = parse_pth(data).unwrap();
        assert_eq!(pth.imports().count(), 1);
        assert!(matches!(&pth.lines[0].kind, PthKind::Import(c) if c.ends_with("add_shim(); ")));
        assert_eq!(
            kinds(b"/home/me/src/project\n"),
            [PthKind::Path("/home/me/src/project".into())]
        );
    }

    #[test]
    fn site_rules() {
        let data = b"# comment\n\n   \nimport\tos\n  import os\nimportlib\n#import os\nlib/ \r\nimport sys;print(1)";
        assert_eq!(
            kinds(data),
            [
                PthKind::Comment,
                PthKind::Blank,
                PthKind::Blank,
                PthKind::Import("import\tos".into()),
                PthKind::Path("  import os".into()),
                PthKind::Path("importlib".into()),
                PthKind::Comment,
                PthKind::Path("lib/".into()),
                PthKind::Import("import sys;print(1)".into()),
            ]
        );
    }

    #[test]
    fn hidden_import_lines_are_found() {
        // Form feed, U+2028 and a bare CR are line boundaries for Python 3.13's splitlines.
        let data = "harmless/path\x0cimport os;os.system('x')\u{2028}import a\rimport b".as_bytes();
        let pth = parse_pth(data).unwrap();
        let lines: Vec<_> = pth.imports().map(|(n, _)| n).collect();
        assert_eq!(lines, [2, 3, 4]);
        // A BOM is dropped by utf-8-sig, so the first line runs.
        assert_eq!(
            parse_pth(b"\xef\xbb\xbfimport os\n")
                .unwrap()
                .imports()
                .count(),
            1
        );
    }

    #[test]
    fn invalid_utf8_and_long_lines() {
        let pth = parse_pth(b"import os # \xff\n").unwrap();
        assert!(pth.invalid_utf8);
        assert_eq!(pth.imports().count(), 1);
        // An executable line is kept whole past 64 KiB (the payload may be at its end).
        let long = format!("import os;{}; os.system('x')", "é".repeat(MAX_PTH_LINE_LEN));
        let pth = parse_pth(long.as_bytes()).unwrap();
        assert!(!pth.lines[0].truncated);
        assert!(matches!(&pth.lines[0].kind, PthKind::Import(c) if c.ends_with("os.system('x')")));
        // A path line is cut.
        let long = "p".repeat(MAX_PTH_LINE_LEN + 10);
        let pth = parse_pth(long.as_bytes()).unwrap();
        assert!(pth.lines[0].truncated);
        assert!(matches!(&pth.lines[0].kind, PthKind::Path(c) if c.len() == MAX_PTH_LINE_LEN));
    }

    #[test]
    fn line_limit() {
        // Filler past the line bound is counted, and an import after it is still kept.
        let data = format!(
            "{}import os; os.system('x')\n",
            "x\n".repeat(MAX_PTH_LINES + 1)
        );
        let pth = parse_pth(data.as_bytes()).unwrap();
        assert_eq!(pth.skipped, 1);
        assert_eq!(pth.lines.len(), MAX_PTH_LINES + 1);
        assert_eq!(
            pth.imports().map(|(n, _)| n).collect::<Vec<_>>(),
            vec![MAX_PTH_LINES + 2]
        );
        let data = "import os\n".repeat(MAX_PTH_IMPORTS + 1);
        assert_eq!(
            parse_pth(data.as_bytes()),
            Err(FormatError::TooMany {
                file: ".pth",
                what: "executable lines",
                limit: MAX_PTH_IMPORTS
            })
        );
    }

    proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_pth(&data);
        }

        #[test]
        fn import_prefix_decides(line in "[ -~]{0,40}") {
            let pth = parse_pth(line.as_bytes()).unwrap();
            let is_import = line.starts_with("import ");
            prop_assert_eq!(pth.imports().count(), usize::from(is_import));
        }
    }
}
