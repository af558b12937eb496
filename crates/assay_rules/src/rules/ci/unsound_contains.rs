//! CI023 unsound-contains: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `contains('literal string', context)` in conditions: a substring test against a string literal where a list membership test was meant.
    ///
    /// ## Why it matters
    /// `contains('refs/heads/main refs/heads/develop', github.ref)` is true for `refs/heads/mai`, so a branch an attacker names can pass a check meant for protected branches.
    ///
    /// ## Example
    /// `if: contains('main,prod', github.ref_name)` (use `contains(fromJSON('["main","prod"]'), github.ref_name)`).
    ///
    /// ## False positives
    /// Literals that hold one value only.
    ///
    /// ## References
    /// - GitHub Docs, "Evaluate expressions in workflows and actions"
    pub static META = UnsoundContains;
}
