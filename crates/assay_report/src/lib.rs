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
//! | `html` (feature `html`) | [`Format::Html`] | one self-contained page for people; not a stable interface |
#![cfg_attr(
    not(test),
    warn(clippy::indexing_slicing, clippy::expect_used, clippy::panic)
)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

use assay_core::{Report, RuleMeta};
use std::fmt;
use std::io;
use std::str::FromStr;

#[cfg(feature = "html")]
pub mod html;
pub mod json;
pub mod sarif;
pub mod terminal;

#[cfg(feature = "html")]
pub use html::HtmlReporter;
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
    /// One self-contained HTML page (`HtmlReporter`, cargo feature `html`).
    Html,
}

impl Format {
    /// All formats, in the order shown in help texts.
    pub const ALL: &'static [Format] = &[Format::Text, Format::Json, Format::Sarif, Format::Html];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Html => "html",
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
            #[cfg(feature = "html")]
            Format::Html => Box::new(HtmlReporter {
                title: options.title.clone(),
            }),
            #[cfg(not(feature = "html"))]
            Format::Html => Box::new(Unavailable("html")),
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
    /// HTML: the page title (the command, e.g. `assay scan`).
    pub title: String,
}

/// The reporter of a format this build left out (cargo feature off): rendering fails
/// saying which feature to enable.
#[cfg(not(feature = "html"))]
struct Unavailable(&'static str);

#[cfg(not(feature = "html"))]
impl Reporter for Unavailable {
    fn render(&self, _: &Report, _: &[&'static RuleMeta], _: &mut dyn io::Write) -> io::Result<()> {
        Err(io::Error::other(format!(
            "this assay was built without the `{0}` feature; rebuild with `--features {0}`",
            self.0
        )))
    }
}

/// The errors of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// `--format` named no known format.
    #[error("unknown output format `{0}` (expected one of: text, json, sarif, html)")]
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
        let err = "pdf".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown output format `pdf` (expected one of: text, json, sarif, html)"
        );
    }
}
