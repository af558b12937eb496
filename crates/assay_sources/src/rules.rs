//! The `ARC` findings this crate raises while *reading* an artifact (hostile names, links,
//! bombs, corruption). They are not pattern rules: the readers raise them directly. Their
//! code, name and default levels are catalog entries ([`assay_core::ArcRule`]); their
//! documentation and registry entries (`assay explain ARC001`…) live with every other rule
//! in `assay_rules::rules::arc`. The constants below are short local names for the
//! readers, not a copy of anything.

use assay_core::{ArcRule, Finding, Location, Rule, Severity};

macro_rules! arc_rules {
    ($($ident:ident = $variant:ident;)*) => {
        $(
            #[doc = concat!("[`ArcRule::", stringify!($variant), "`].")]
            pub(crate) const $ident: Rule = ArcRule::$variant.rule();
        )*
    };
}

arc_rules! {
    PATH_TRAVERSAL = PathTraversalEntry;
    ABSOLUTE_PATH = AbsolutePathEntry;
    LINK_ENTRY = LinkEntry;
    DUPLICATE_ENTRY = DuplicateEntry;
    NON_UTF8_NAME = NonUtf8EntryName;
    ARCHIVE_BOMB = ArchiveBomb;
    UNREADABLE_ARCHIVE = UnreadableArchive;
    FORMAT_MISMATCH = FormatMismatch;
    NESTING_TOO_DEEP = NestingTooDeep;
    PATH_TOO_LONG = PathTooLong;
    ZIP_READER_DISAGREEMENT = ZipReaderDisagreement;
}

/// A finding for `rule` at `path` (the member name as stored, or empty for the artifact).
pub(crate) fn finding(rule: &Rule, path: &str, evidence: impl Into<String>) -> Finding {
    rule.finding(Location::file(path), evidence)
}

/// Like [`finding`], with a severity other than the rule's default.
pub(crate) fn finding_with(
    rule: &Rule,
    severity: Severity,
    path: &str,
    evidence: impl Into<String>,
) -> Finding {
    Finding::new(
        *rule,
        severity,
        rule.confidence(),
        Location::file(path),
        evidence,
    )
}
