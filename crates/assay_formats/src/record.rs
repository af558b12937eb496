//! `*.dist-info/RECORD`: the list of installed files with their hashes and sizes.
//!
//! Specs: PEP 376 (the file), PEP 627 (optional hash and size), and the binary
//! distribution format ("The .dist-info directory": `RECORD`), which fixes the hash
//! encoding as `<algorithm>=<urlsafe-base64 digest without = padding>`.
//!
//! The file is CSV as written and read by Python's `csv` module with the default
//! (`excel`) dialect: `,` separates fields, a field may be quoted with `"` (a quoted
//! field may hold `,`, `""` for a quote and line breaks), rows end at `\n`, `\r` or
//! `\r\n`. This module implements that dialect's reader, including its non-strict
//! quirks (text after a closing quote is appended to the field), so that it sees the same
//! paths pip and `importlib.metadata` see.
//!
//! A row that does not have exactly three fields, or whose hash or size does not parse,
//! is listed in [`Record::malformed_rows`] and **not** in [`Record::entries`]: a rule that
//! checks "every file is listed with a matching hash" then fails closed on it.

use crate::FormatError;
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// At most this many non-blank rows are parsed; more is [`FormatError::TooMany`].
pub const MAX_RECORD_ROWS: usize = 1_000_000;

/// Rows with more fields than this stop collecting fields (the row is malformed anyway).
const MAX_FIELDS: usize = 16;

/// Quoted excerpts in malformed-row reasons are clipped to this many characters.
const MAX_EXCERPT: usize = 80;

/// One well-formed row of a RECORD file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEntry {
    /// The file's path as written (relative to the site-packages directory, `/`-separated
    /// in well-formed wheels; may be `../`-relative for files installed elsewhere).
    pub path: String,
    /// `(algorithm, raw digest)`, e.g. `("sha256", <32 bytes>)`; `None` when the field is
    /// empty (allowed for `RECORD` itself, `RECORD.jws` and `.pyc` files).
    pub hash: Option<(String, Vec<u8>)>,
    /// Size in bytes; `None` when the field is empty.
    pub size: Option<u64>,
    /// 1-based line on which the row starts.
    pub line_no: usize,
}

impl RecordEntry {
    /// The digest when the algorithm is `sha256`.
    pub fn sha256(&self) -> Option<&[u8]> {
        match &self.hash {
            Some((algo, digest)) if algo == "sha256" => Some(digest),
            _ => None,
        }
    }
}

/// A parsed RECORD file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Well-formed rows, in file order.
    pub entries: Vec<RecordEntry>,
    /// `(1-based line number, reason)` for each row that could not be read.
    pub malformed_rows: Vec<(usize, String)>,
}

impl Record {
    /// The first entry with exactly this path.
    pub fn get(&self, path: &str) -> Option<&RecordEntry> {
        self.entries.iter().find(|e| e.path == path)
    }
}

/// Parse a RECORD file.
///
/// Blank lines are skipped. Invalid UTF-8 in a field makes its row malformed.
///
/// # Errors
/// [`FormatError::TooMany`] when the file has more than [`MAX_RECORD_ROWS`] rows.
pub fn parse_record(data: &[u8]) -> Result<Record, FormatError> {
    let mut record = Record::default();
    let mut reader = CsvReader {
        data,
        pos: 0,
        line: 1,
    };
    let mut rows = 0usize;
    // Each iteration consumes at least one byte, so the loop is bounded by the input
    // length as well as by MAX_RECORD_ROWS.
    while let Some(row) = reader.next_row() {
        if row.fields.is_empty() {
            continue; // blank line
        }
        rows += 1;
        if rows > MAX_RECORD_ROWS {
            return Err(FormatError::TooMany {
                file: "RECORD",
                what: "rows",
                limit: MAX_RECORD_ROWS,
            });
        }
        match check_row(&row) {
            Ok((path, hash, size)) => {
                record.entries.push(RecordEntry {
                    path,
                    hash,
                    size,
                    line_no: row.line_no,
                });
            }
            Err(reason) => record.malformed_rows.push((row.line_no, reason)),
        }
    }
    Ok(record)
}

type Checked = (String, Option<(String, Vec<u8>)>, Option<u64>);

fn check_row(row: &Row) -> Result<Checked, String> {
    if let Some(err) = row.error {
        return Err(err.to_owned());
    }
    let [path, hash, size] = row.fields.as_slice() else {
        return Err(format!(
            "expected 3 fields (path,hash,size), found {}",
            row.fields.len()
        ));
    };
    let path = std::str::from_utf8(path).map_err(|_| "path is not UTF-8".to_owned())?;
    if path.is_empty() {
        return Err("empty path".to_owned());
    }
    let hash = std::str::from_utf8(hash)
        .map_err(|_| format!("hash of `{}` is not UTF-8", excerpt(path)))?;
    let size = std::str::from_utf8(size)
        .map_err(|_| format!("size of `{}` is not UTF-8", excerpt(path)))?;
    let hash = if hash.is_empty() {
        None
    } else {
        Some(
            parse_hash(hash)
                .map_err(|why| format!("hash `{}` of `{}`: {why}", excerpt(hash), excerpt(path)))?,
        )
    };
    let size = if size.is_empty() {
        None
    } else if size.bytes().all(|b| b.is_ascii_digit()) {
        Some(size.parse::<u64>().map_err(|_| {
            format!(
                "size `{}` of `{}` is too large",
                excerpt(size),
                excerpt(path)
            )
        })?)
    } else {
        return Err(format!(
            "size `{}` of `{}` is not a decimal number",
            excerpt(size),
            excerpt(path)
        ));
    };
    Ok((path.to_owned(), hash, size))
}

/// The urlsafe alphabet; padding tolerated (the spec says none, some tools add it).
const URLSAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// `algo=digest` → `(algo, raw digest)`, checking the digest length for known algorithms.
fn parse_hash(field: &str) -> Result<(String, Vec<u8>), &'static str> {
    let Some((algo, digest)) = field.split_once('=') else {
        return Err("expected <algorithm>=<digest>");
    };
    if algo.is_empty()
        || !algo
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err("bad algorithm name");
    }
    let algo = algo.to_ascii_lowercase();
    let digest = URLSAFE
        .decode(digest)
        .map_err(|_| "digest is not urlsafe base64")?;
    let expected = match algo.as_str() {
        "md5" => Some(16),
        "sha1" => Some(20),
        "sha224" | "sha3_224" => Some(28),
        "sha256" | "sha3_256" | "blake2s" => Some(32),
        "sha384" | "sha3_384" => Some(48),
        "sha512" | "sha3_512" | "blake2b" => Some(64),
        _ => None,
    };
    if digest.is_empty() || expected.is_some_and(|n| n != digest.len()) {
        return Err("digest has the wrong length for its algorithm");
    }
    Ok((algo, digest))
}

fn excerpt(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(MAX_EXCERPT)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().nth(MAX_EXCERPT).is_some() {
        out.push('…');
    }
    out
}

/// One CSV row as Python's `csv.reader` would return it.
struct Row {
    fields: Vec<Vec<u8>>,
    line_no: usize,
    error: Option<&'static str>,
}

/// Python `csv` module reader, `excel` dialect, `strict=False`.
struct CsvReader<'a> {
    data: &'a [u8],
    pos: usize,
    /// 1-based physical line of `pos`.
    line: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
}

impl CsvReader<'_> {
    /// The next row, or `None` at the end of input. Consumes at least one byte per row.
    /// A blank line comes back as a row with no fields.
    fn next_row(&mut self) -> Option<Row> {
        if self.pos >= self.data.len() {
            return None;
        }
        let mut row = Row {
            fields: Vec::new(),
            line_no: self.line,
            error: None,
        };
        let mut field = Vec::new();
        let mut state = State::StartField;
        let mut first = true;
        while let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            let newline: &[u8] = match b {
                b'\r' if self.data.get(self.pos) == Some(&b'\n') => {
                    self.pos += 1;
                    b"\r\n"
                }
                b'\r' => b"\r",
                b'\n' => b"\n",
                _ => b"",
            };
            if !newline.is_empty() {
                self.line += 1;
                if first {
                    return Some(row); // blank line: no fields
                }
            }
            first = false;
            match state {
                State::InQuoted if b == b'"' => state = State::QuoteInQuoted,
                State::InQuoted if !newline.is_empty() => field.extend_from_slice(newline),
                State::InQuoted => field.push(b),
                // `""` inside a quoted field is one quote.
                State::QuoteInQuoted if b == b'"' => {
                    field.push(b'"');
                    state = State::InQuoted;
                }
                State::StartField if b == b'"' => state = State::InQuoted,
                _ if !newline.is_empty() => {
                    row.push_field(&mut field);
                    return Some(row);
                }
                _ if b == b',' => {
                    row.push_field(&mut field);
                    state = State::StartField;
                }
                // A quote inside an unquoted field is literal; text after a closing quote
                // is appended (Python's non-strict reader).
                _ => {
                    field.push(b);
                    state = State::InField;
                }
            }
        }
        // End of input without a final newline.
        if state == State::InQuoted {
            row.error = Some("unterminated quoted field at end of file");
        }
        row.push_field(&mut field);
        Some(row)
    }
}

impl Row {
    /// Append a finished field, keeping at most [`MAX_FIELDS`].
    fn push_field(&mut self, field: &mut Vec<u8>) {
        if self.fields.len() < MAX_FIELDS {
            self.fields.push(std::mem::take(field));
        } else {
            field.clear();
            self.error.get_or_insert("too many fields");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn digest(b64: &str) -> Vec<u8> {
        URLSAFE.decode(b64).unwrap()
    }

    #[test]
    fn real_wheel_record() {
        let data =
            b"requests/__init__.py,sha256=PHlpNBLk-SPe-uyrOkNQAcuRbhzHBqkTq7fYZn7Ao4o,5072\r\n\
requests/__pycache__/api.cpython-312.pyc,,\r\n\
requests-2.32.3.dist-info/RECORD,,\r\n";
        let r = parse_record(data).unwrap();
        assert!(r.malformed_rows.is_empty(), "{:?}", r.malformed_rows);
        assert_eq!(r.entries.len(), 3);
        let first = &r.entries[0];
        assert_eq!(first.path, "requests/__init__.py");
        assert_eq!(first.size, Some(5072));
        assert_eq!(
            first.sha256().unwrap(),
            digest("PHlpNBLk-SPe-uyrOkNQAcuRbhzHBqkTq7fYZn7Ao4o").as_slice()
        );
        assert_eq!(first.sha256().unwrap().len(), 32);
        assert_eq!(r.entries[1].hash, None);
        assert_eq!(r.entries[2].size, None);
        assert_eq!(r.entries[2].line_no, 3);
        assert!(r.get("requests-2.32.3.dist-info/RECORD").is_some());
    }

    #[test]
    fn quoted_fields() {
        let data = "\"a,b.py\",sha256=PHlpNBLk-SPe-uyrOkNQAcuRbhzHBqkTq7fYZn7Ao4o,1\n\
\"say \"\"hi\"\".py\",,\n\
\"multi\nline.py\",,\n\
\"q\"x.py,,\n\
last.py,,2\n";
        let r = parse_record(data.as_bytes()).unwrap();
        assert!(r.malformed_rows.is_empty(), "{:?}", r.malformed_rows);
        let paths: Vec<_> = r.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "a,b.py",
                "say \"hi\".py",
                "multi\nline.py",
                "qx.py",
                "last.py"
            ]
        );
        assert_eq!(
            r.entries[3].line_no, 5,
            "line numbers count the newline inside the quoted field"
        );
        assert_eq!(r.entries[4].size, Some(2));
    }

    #[test]
    fn padding_is_tolerated_and_case_of_algo_normalised() {
        let r =
            parse_record(b"a.py,SHA256=PHlpNBLk-SPe-uyrOkNQAcuRbhzHBqkTq7fYZn7Ao4o=,3").unwrap();
        assert_eq!(r.entries[0].sha256().unwrap().len(), 32);
    }

    #[test]
    fn malformed_rows_are_reported_not_fatal() {
        let data = b"ok.py,,\n\
bad-b64.py,sha256=@@@notbase64@@@,10\n\
short.py,sha256=AAAA,10\n\
noeq.py,deadbeef,1\n\
two-fields.py,\n\
four.py,,,\n\
neg.py,,-1\n\
big.py,,99999999999999999999999\n\
,,\n\
\"open.py,,\n";
        let r = parse_record(data).unwrap();
        assert_eq!(r.entries.len(), 1);
        let lines: Vec<_> = r.malformed_rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert!(
            r.malformed_rows[0].1.contains("base64"),
            "{}",
            r.malformed_rows[0].1
        );
        assert!(r.malformed_rows[1].1.contains("wrong length"));
        assert!(r.malformed_rows[8].1.contains("unterminated"));
    }

    #[test]
    fn non_utf8_path_is_malformed() {
        let r = parse_record(b"\xff\xfe.py,,\n").unwrap();
        assert!(r.entries.is_empty());
        assert_eq!(r.malformed_rows.len(), 1);
    }

    #[test]
    fn blank_lines_are_skipped() {
        let r = parse_record(b"\n\r\n\na.py,,\n\n").unwrap();
        assert_eq!(r.entries.len(), 1);
        assert_eq!(r.entries[0].line_no, 4);
        assert!(r.malformed_rows.is_empty());
    }

    #[test]
    fn many_fields_are_bounded() {
        let row = ",".repeat(100_000);
        let r = parse_record(row.as_bytes()).unwrap();
        assert_eq!(r.malformed_rows.len(), 1);
        assert!(r.malformed_rows[0].1.contains("too many fields"));
    }

    #[test]
    fn row_limit() {
        let data = "a,,\n".repeat(MAX_RECORD_ROWS + 1);
        assert_eq!(
            parse_record(data.as_bytes()),
            Err(FormatError::TooMany {
                file: "RECORD",
                what: "rows",
                limit: MAX_RECORD_ROWS
            })
        );
        let data = "a,,\n".repeat(1000);
        assert_eq!(parse_record(data.as_bytes()).unwrap().entries.len(), 1000);
    }

    proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_record(&data);
        }

        #[test]
        fn never_panics_on_csv_like_text(s in "[a-z,\"\r\n=_/.0-9A-Z-]{0,512}") {
            if let Ok(r) = parse_record(s.as_bytes()) {
                for e in &r.entries {
                    prop_assert!(!e.path.is_empty());
                }
            }
        }
    }
}
