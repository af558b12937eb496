//! The `ARC` findings this crate raises while *reading* an artifact (hostile names, links,
//! bombs, corruption). They are not pattern rules: the readers raise them directly. Their
//! documentation and registry entries (`assay explain ARC001`…) live with every other rule in
//! `assay_rules::rules::arc`; this table only fixes the code, name and default levels used
//! here, and must match those entries.

use assay_core::{Confidence, Finding, Location, Severity};

/// Code, name and default levels of one `ARC` rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArcRule {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) severity: Severity,
    pub(crate) confidence: Confidence,
}

macro_rules! arc_rules {
    ($($ident:ident = $code:literal, $name:literal, $sev:ident, $conf:ident;)*) => {
        $(
            #[doc = concat!("`", $code, "` `", $name, "`.")]
            pub(crate) const $ident: ArcRule = ArcRule {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                confidence: Confidence::$conf,
            };
        )*
        /// Every rule this crate raises, in code order.
        #[cfg(test)]
        pub(crate) const RULES: &[ArcRule] = &[$($ident),*];
    };
}

arc_rules! {
    PATH_TRAVERSAL = "ARC001", "path-traversal-entry", High, High;
    ABSOLUTE_PATH = "ARC002", "absolute-path-entry", High, High;
    LINK_ENTRY = "ARC003", "link-entry", Medium, High;
    DUPLICATE_ENTRY = "ARC004", "duplicate-entry", Medium, High;
    NON_UTF8_NAME = "ARC005", "non-utf8-entry-name", Low, High;
    ARCHIVE_BOMB = "ARC006", "archive-bomb", High, High;
    UNREADABLE_ARCHIVE = "ARC007", "unreadable-archive", Medium, High;
    FORMAT_MISMATCH = "ARC008", "format-mismatch", Low, Medium;
    NESTING_TOO_DEEP = "ARC009", "nesting-too-deep", Medium, High;
    PATH_TOO_LONG = "ARC010", "path-too-long", Low, High;
    ZIP_READER_DISAGREEMENT = "ARC011", "zip-reader-disagreement", High, Medium;
}

/// A finding for `rule` at `path` (the member name as stored, or empty for the artifact).
pub(crate) fn finding(rule: &ArcRule, path: &str, evidence: impl Into<String>) -> Finding {
    Finding::new(
        rule.code,
        rule.name,
        rule.severity,
        rule.confidence,
        Location::file(path),
        evidence,
    )
}

/// Like [`finding`], with a severity other than the rule's default.
pub(crate) fn finding_with(
    rule: &ArcRule,
    severity: Severity,
    path: &str,
    evidence: impl Into<String>,
) -> Finding {
    Finding::new(
        rule.code,
        rule.name,
        severity,
        rule.confidence,
        Location::file(path),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_sequential() {
        let codes: HashSet<_> = RULES.iter().map(|r| r.code).collect();
        let names: HashSet<_> = RULES.iter().map(|r| r.name).collect();
        assert_eq!(codes.len(), RULES.len());
        assert_eq!(names.len(), RULES.len());
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.code, format!("ARC{:03}", i + 1));
        }
    }
}
