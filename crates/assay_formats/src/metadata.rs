//! Core metadata: `METADATA` (wheels, installed distributions) and `PKG-INFO` (sdists).
//!
//! Spec: packaging.python.org "Core metadata specifications" (metadata versions 1.0 to
//! 2.4). The format is RFC 822 style headers, read in practice by Python's `email`
//! parser with the `compat32` policy; this module follows that parser:
//!
//! * a header line is `Name: value` where the name is printable ASCII without `:` or
//!   space; the value has its leading spaces and tabs removed;
//! * a line starting with a space or tab continues the previous header: it is appended
//!   after a `\n`, verbatim (with its indentation), as `compat32` does;
//! * the first empty line ends the headers; everything after it is the body, which
//!   metadata 2.1+ uses for the description;
//! * a line that is neither ends the headers too (the `email` parser's
//!   `MissingHeaderBodySeparatorDefect`) and starts the body; it is listed in
//!   [`Headers::defects`];
//! * lines end at `\r\n`, `\r` or `\n`.
//!
//! Names compare case-insensitively. For single-use fields (`Name`, `Version`, …) the
//! first occurrence wins, as `email.message.Message.get` returns it; a repeat is a defect,
//! because two tools may disagree on which one counts.
//!
//! Bytes that are not UTF-8 are decoded lossily and flagged with
//! [`Headers::invalid_utf8`]: old `PKG-INFO` files are sometimes Latin-1.
//!
//! [`parse_headers`] is the shared RFC 822 layer, also used for the `WHEEL` file.

use crate::FormatError;
use crate::lines::{Newlines, lines};

/// At most this many headers are read; more is [`FormatError::TooMany`].
pub const MAX_HEADERS: usize = 10_000;

/// Defects are recorded up to this many; later ones are counted in the last entry.
const MAX_DEFECTS: usize = 100;

/// The RFC 822 layer of a metadata file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    /// `(name as written, value)` in file order. Continuation lines are joined with `\n`.
    pub headers: Vec<(String, String)>,
    /// 1-based line number of each header in [`Headers::headers`] (same length).
    pub header_lines: Vec<usize>,
    /// Everything after the header block (may be empty).
    pub body: String,
    /// `(1-based line number, what is wrong)` for lines the parser had to skip or
    /// reinterpret. At most 100 are kept.
    pub defects: Vec<(usize, String)>,
    /// Whether the input had bytes that are not UTF-8 (they were replaced by U+FFFD).
    pub invalid_utf8: bool,
}

impl Headers {
    /// The first value of the header `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of the header `name` (case-insensitive), in file order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn defect(&mut self, line_no: usize, what: String) {
        if self.defects.len() < MAX_DEFECTS {
            self.defects.push((line_no, what));
        }
    }
}

/// Parse the RFC 822 style header block of `data` and return the headers and the body.
///
/// `file` names the file kind in errors (`"METADATA"`, `"WHEEL"`).
///
/// # Errors
/// [`FormatError::TooMany`] when there are more than [`MAX_HEADERS`] headers.
pub fn parse_headers(data: &[u8], file: &'static str) -> Result<Headers, FormatError> {
    let text = String::from_utf8_lossy(data);
    let mut out = Headers {
        invalid_utf8: matches!(text, std::borrow::Cow::Owned(_)),
        ..Headers::default()
    };
    let mut it = lines(&text, Newlines::Universal);
    let mut line_no = 0usize;
    loop {
        let before = it.rest();
        let Some(line) = it.next() else { break };
        line_no += 1;
        if line.is_empty() {
            out.body = it.rest().to_owned();
            break;
        }
        if line.starts_with([' ', '\t']) {
            match out.headers.last_mut() {
                Some((_, value)) => {
                    value.push('\n');
                    value.push_str(line);
                }
                None => out.defect(
                    line_no,
                    "continuation line before any header; ignored".to_owned(),
                ),
            }
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if is_header_name(name) => {
                if out.headers.len() >= MAX_HEADERS {
                    return Err(FormatError::TooMany {
                        file,
                        what: "headers",
                        limit: MAX_HEADERS,
                    });
                }
                out.headers.push((
                    name.to_owned(),
                    value.trim_start_matches([' ', '\t']).to_owned(),
                ));
                out.header_lines.push(line_no);
            }
            _ => {
                out.defect(
                    line_no,
                    "line is not a header; the body starts here".to_owned(),
                );
                out.body = before.to_owned();
                break;
            }
        }
    }
    for (_, value) in &mut out.headers {
        let trimmed = value.trim_end_matches(['\r', '\n', ' ', '\t']).len();
        value.truncate(trimmed);
    }
    Ok(out)
}

/// `[\x21-\x39\x3b-\x7e]+`: what the `email` parser accepts before the colon.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b':')
}

/// Core metadata of one distribution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoreMetadata {
    /// `Metadata-Version`, e.g. `2.1`.
    pub metadata_version: Option<String>,
    /// `Name`, as written (not normalised).
    pub name: Option<String>,
    /// `Version`, as written.
    pub version: Option<String>,
    /// `Summary`.
    pub summary: Option<String>,
    /// `Home-page`.
    pub home_page: Option<String>,
    /// `Author`.
    pub author: Option<String>,
    /// `Author-email`.
    pub author_email: Option<String>,
    /// `License`.
    pub license: Option<String>,
    /// `Requires-Python`.
    pub requires_python: Option<String>,
    /// Every `Requires-Dist` (PEP 508 requirement strings), in order.
    pub requires_dist: Vec<String>,
    /// Every `Provides-Extra`.
    pub provides_extra: Vec<String>,
    /// Every `Classifier`.
    pub classifiers: Vec<String>,
    /// Every `Project-URL` (`label, url`).
    pub project_urls: Vec<String>,
    /// The description: the body when it is not blank, otherwise the `Description`
    /// header with its continuation indentation (8 spaces, or spaces then `|`) removed.
    pub description: Option<String>,
    /// All headers, as parsed (see [`Headers`]).
    pub headers: Headers,
}

const SINGLE_USE: &[&str] = &[
    "Metadata-Version",
    "Name",
    "Version",
    "Summary",
    "Home-page",
    "Author",
    "Author-email",
    "License",
    "Requires-Python",
    "Description",
    "Description-Content-Type",
];

/// Parse a `METADATA` or `PKG-INFO` file.
///
/// Missing fields are `None`/empty: whether `Name` and `Version` are required is for
/// the rules to judge.
///
/// # Errors
/// [`FormatError::TooMany`] when there are more than [`MAX_HEADERS`] headers.
pub fn parse_metadata(data: &[u8]) -> Result<CoreMetadata, FormatError> {
    let mut headers = parse_headers(data, "METADATA")?;
    for field in SINGLE_USE {
        let repeat = headers
            .headers
            .iter()
            .zip(&headers.header_lines)
            .filter(|((k, _), _)| k.eq_ignore_ascii_case(field))
            .nth(1)
            .map(|(_, &line)| line);
        if let Some(line) = repeat {
            headers.defect(
                line,
                format!("`{field}` appears more than once; the first one is used"),
            );
        }
    }
    let one = |name: &str| headers.get(name).map(str::to_owned);
    let all = |name: &str| headers.get_all(name).map(str::to_owned).collect::<Vec<_>>();
    let description = if headers.body.trim().is_empty() {
        headers.get("Description").map(dedent_description)
    } else {
        Some(headers.body.clone())
    };
    Ok(CoreMetadata {
        metadata_version: one("Metadata-Version"),
        name: one("Name"),
        version: one("Version"),
        summary: one("Summary"),
        home_page: one("Home-page"),
        author: one("Author"),
        author_email: one("Author-email"),
        license: one("License"),
        requires_python: one("Requires-Python"),
        requires_dist: all("Requires-Dist"),
        provides_extra: all("Provides-Extra"),
        classifiers: all("Classifier"),
        project_urls: all("Project-URL"),
        description,
        headers,
    })
}

/// Undo the folding setuptools applies to a `Description` header: continuation lines
/// start with 8 spaces, or with spaces and a `|`.
fn dedent_description(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (n, line) in lines(value, Newlines::Universal).enumerate() {
        if n > 0 {
            out.push('\n');
            let stripped = line.trim_start_matches(' ');
            let line = match stripped.strip_prefix('|') {
                Some(rest) => rest,
                None => line.strip_prefix("        ").unwrap_or(stripped),
            };
            out.push_str(line);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const METADATA: &str = "Metadata-Version: 2.1\r
Name: requests\r
Version: 2.32.3\r
Summary: Python HTTP for Humans.\r
Home-page: https://requests.readthedocs.io\r
Author: Kenneth Reitz\r
License: Apache-2.0\r
Classifier: Development Status :: 5 - Production/Stable\r
Classifier: Intended Audience :: Developers\r
Requires-Python: >=3.8\r
Requires-Dist: charset-normalizer <4,>=2\r
Requires-Dist: idna <4,>=2.5\r
Requires-Dist: PySocks !=1.5.7,>=1.5.6 ; extra == 'socks'\r
Provides-Extra: socks\r
Project-URL: Source, https://github.com/psf/requests\r
\r
# Requests\r
\r
**Requests** is a simple, yet elegant, HTTP library.\r
";

    #[test]
    fn real_metadata() {
        let m = parse_metadata(METADATA.as_bytes()).unwrap();
        assert_eq!(m.metadata_version.as_deref(), Some("2.1"));
        assert_eq!(m.name.as_deref(), Some("requests"));
        assert_eq!(m.version.as_deref(), Some("2.32.3"));
        assert_eq!(m.summary.as_deref(), Some("Python HTTP for Humans."));
        assert_eq!(m.requires_dist.len(), 3);
        assert_eq!(
            m.requires_dist[2],
            "PySocks !=1.5.7,>=1.5.6 ; extra == 'socks'"
        );
        assert_eq!(m.classifiers.len(), 2);
        assert_eq!(m.provides_extra, ["socks"]);
        assert_eq!(m.project_urls, ["Source, https://github.com/psf/requests"]);
        assert!(
            m.description
                .as_deref()
                .unwrap()
                .starts_with("# Requests\r\n")
        );
        assert!(m.headers.defects.is_empty());
        assert!(!m.headers.invalid_utf8);
        assert_eq!(m.headers.get("requires-python"), Some(">=3.8"));
    }

    #[test]
    fn pkg_info_with_folded_description() {
        let data = "Metadata-Version: 1.1\nName: old\nVersion: 0.1\nDescription: First line\n        second line\n        |    indented\nPlatform: UNKNOWN\n";
        let m = parse_metadata(data.as_bytes()).unwrap();
        assert_eq!(
            m.description.as_deref(),
            Some("First line\nsecond line\n    indented")
        );
        assert_eq!(m.headers.get("Platform"), Some("UNKNOWN"));
        assert_eq!(m.headers.body, "");
    }

    #[test]
    fn continuation_lines_join_with_newline() {
        let m = parse_metadata(b"Name: a\nSummary: one\n two\n\tthree\nVersion: 1\n").unwrap();
        assert_eq!(m.summary.as_deref(), Some("one\n two\n\tthree"));
        assert_eq!(m.version.as_deref(), Some("1"));
    }

    #[test]
    fn defects_are_reported() {
        let data = b" leading continuation\nName: a\nName: b\nthis is not a header\nVersion: 9\n";
        let m = parse_metadata(data).unwrap();
        assert_eq!(
            m.name.as_deref(),
            Some("a"),
            "the first Name wins, as in email.message"
        );
        assert_eq!(m.version, None, "a non-header line starts the body");
        assert_eq!(m.headers.body, "this is not a header\nVersion: 9\n");
        let lines: Vec<_> = m.headers.defects.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 4, 3]);
        assert!(
            m.headers.defects[2]
                .1
                .contains("`Name` appears more than once")
        );
    }

    #[test]
    fn missing_fields_and_empty_input() {
        let m = parse_metadata(b"").unwrap();
        assert_eq!(m, CoreMetadata::default());
        let m = parse_metadata(b"Summary: x\n").unwrap();
        assert_eq!(m.name, None);
        assert_eq!(m.description, None);
    }

    #[test]
    fn latin1_is_flagged() {
        let m = parse_metadata(b"Name: caf\xe9\nVersion: 1\n").unwrap();
        assert!(m.headers.invalid_utf8);
        assert_eq!(m.name.as_deref(), Some("caf\u{fffd}"));
    }

    #[test]
    fn header_limit() {
        let data = "X: y\n".repeat(MAX_HEADERS + 1);
        assert_eq!(
            parse_metadata(data.as_bytes()),
            Err(FormatError::TooMany {
                file: "METADATA",
                what: "headers",
                limit: MAX_HEADERS
            })
        );
        let data = "X: y\n".repeat(MAX_HEADERS);
        assert_eq!(
            parse_metadata(data.as_bytes())
                .unwrap()
                .headers
                .headers
                .len(),
            MAX_HEADERS
        );
    }

    #[test]
    fn many_defects_are_capped() {
        let data = " x\n".repeat(10_000);
        let m = parse_metadata(data.as_bytes()).unwrap();
        assert_eq!(m.headers.defects.len(), MAX_DEFECTS);
    }

    proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_metadata(&data);
        }

        #[test]
        fn never_panics_on_header_like_text(s in "([A-Za-z-]{0,8}:? ?[ -~]{0,20}(\r\n|\n|\r))*") {
            let _ = parse_metadata(s.as_bytes());
        }
    }
}
