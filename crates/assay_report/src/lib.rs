//! Reporters: render an [`assay_core::Report`] as text, JSON or SARIF.
//!
//! Every reporter implements [`Reporter`] and takes the rule metadata it may need as
//! `&[&'static RuleMeta]` (this crate does not depend on the rule registry). Output is
//! deterministic for a given report: same input, same bytes.
//!
//! | module | format | contract |
//! |---|---|---|
//! | [`terminal`] | [`Format::Text`] | for people; not a stable interface |
//! | [`json`] | [`Format::Json`] | the `Report` structure; schema from [`report_json_schema`] |
//! | [`sarif`] | [`Format::Sarif`] | SARIF 2.1.0, checked against the OASIS schema in tests |
#![cfg_attr(
    not(test),
    warn(clippy::indexing_slicing, clippy::expect_used, clippy::panic)
)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

use assay_core::{Report, RuleMeta};
use std::fmt;
use std::io;
use std::str::FromStr;

pub mod json;
pub mod sarif;
pub mod terminal;

pub use json::{JsonReporter, report_json_schema};
pub use sarif::SarifReporter;
pub use terminal::TextReporter;

/// Renders a report to a writer.
pub trait Reporter {
    /// Write `report` to `out`. `rules` is the metadata of every rule that may appear in
    /// the report (SARIF lists them in `tool.driver.rules`); findings of rules missing
    /// from it are still rendered.
    ///
    /// # Errors
    /// Any error from `out`.
    fn render(
        &self,
        report: &Report,
        rules: &[&'static RuleMeta],
        out: &mut dyn io::Write,
    ) -> io::Result<()>;
}

/// The output formats (`--format text|json|sarif`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// Human-readable summary ([`TextReporter`]).
    #[default]
    Text,
    /// The report as JSON ([`JsonReporter`]).
    Json,
    /// SARIF 2.1.0 ([`SarifReporter`]).
    Sarif,
}

impl Format {
    /// All formats, in the order shown in help texts.
    pub const ALL: &'static [Format] = &[Format::Text, Format::Json, Format::Sarif];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
        }
    }

    /// The reporter for this format with the given options.
    pub fn reporter(self, options: &RenderOptions) -> Box<dyn Reporter> {
        match self {
            Format::Text => Box::new(TextReporter {
                color: options.color,
                quiet: options.quiet,
                verbose: options.verbose,
                min_severity: options.min_severity,
                hide_clean: options.hide_clean,
            }),
            Format::Json => Box::new(JsonReporter),
            Format::Sarif => Box::new(SarifReporter {
                information_uri: options.information_uri.clone(),
            }),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = ReportError;

    /// `text`, `json` or `sarif`, ASCII case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ReportError::UnknownFormat(s.to_owned()))
    }
}

/// Options for [`Format::reporter`]; each format reads the ones that concern it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Text: emit ANSI colours (see [`color_for_stdout`]).
    pub color: bool,
    /// Text: only the verdict lines of artifacts that are not clean, then the summary.
    pub quiet: bool,
    /// Text: list every finding (no grouping) and every clean distribution.
    pub verbose: bool,
    /// Text: hide findings below this severity (display only).
    pub min_severity: Option<assay_core::Severity>,
    /// Text: leave clean artifacts out, saying how many (history's default).
    pub hide_clean: bool,
    /// SARIF: `tool.driver.informationUri`, the project's home page (omitted when `None`).
    pub information_uri: Option<String>,
}

/// The errors of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// `--format` named no known format.
    #[error("unknown output format `{0}` (expected one of: text, json, sarif)")]
    UnknownFormat(String),
}

/// Whether text written to stdout should be coloured: stdout is a terminal and neither
/// `NO_COLOR` nor `CLICOLOR=0` forbids it (or `CLICOLOR_FORCE` asks for it), per
/// `anstream`'s detection.
pub fn color_for_stdout() -> bool {
    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_print() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(*f));
            assert_eq!(f.to_string().to_uppercase().parse::<Format>(), Ok(*f));
        }
        let err = "html".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown output format `html` (expected one of: text, json, sarif)"
        );
    }
}
