//! `declare_rule!`: a rule's static metadata with its doc comment captured as text.

/// Declare a rule's [`assay_core::RuleMeta`] as a `pub static`, taking the doc comment
/// above it as the rule's documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        pub static $id:ident = {
            code: $code:literal,
            name: $name:literal,
            family: $fam:ident,
            summary: $summary:literal,
            severity: $sev:ident,
            confidence: $conf:ident,
            targets: [$($t:ident),* $(,)?],
            cwe: $cwe:expr,
            attack: $attack:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $id: assay_core::RuleMeta = assay_core::RuleMeta {
            code: $code,
            name: $name,
            family: assay_core::Family::$fam,
            summary: $summary,
            severity: assay_core::Severity::$sev,
            confidence: assay_core::Confidence::$conf,
            targets: &[$(assay_core::FileKind::$t),*],
            cwe: $cwe,
            attack: $attack,
            doc: concat!($($doc, "\n"),*),
        };
    };
}
