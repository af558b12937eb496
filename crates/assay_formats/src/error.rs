//! The one error type of this crate.

/// Why a parser gave up on a whole file.
///
/// Problems local to one line or row are not errors: they are reported in the model
/// (`malformed_rows`, `defects`). An error means the parser refused the file, and the
/// caller must treat the file as unparseable (a finding), never as clean.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The file has more items than the parser's documented limit.
    #[error("{file}: more than {limit} {what}; refusing to parse a file this large")]
    TooMany {
        /// The file kind being parsed (`RECORD`, `METADATA`, …).
        file: &'static str,
        /// What was counted (`rows`, `headers`, `lines`, …).
        what: &'static str,
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The file breaks its format's structure (bad magic, impossible count, unknown type).
    #[error("{file}: {message}")]
    Invalid {
        /// The file kind being parsed (`GGUF`, …).
        file: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A TOML document (`pyproject.toml`) did not parse.
    #[error("{file}: invalid TOML: {message}")]
    Toml {
        /// The file kind being parsed.
        file: &'static str,
        /// The TOML parser's message (with line and column).
        message: String,
    },
}
