//! `declare_rule!`: a catalog rule paired with its doc comment, captured as text.

/// Declare a rule's [`assay_core::RuleMeta`] as a `pub static`: the catalog
/// [`assay_core::Rule`] named after `=`, with the doc comment above it as the rule's
/// documentation (the code, name, levels and targets are in `assay_core::catalog`).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        pub static $id:ident = $rule:ident;
    ) => {
        $(#[doc = $doc])*
        pub static $id: assay_core::RuleMeta = assay_core::RuleMeta {
            rule: assay_core::Rule::$rule,
            doc: concat!($($doc, "\n"),*),
        };
    };
}
