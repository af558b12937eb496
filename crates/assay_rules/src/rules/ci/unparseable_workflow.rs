//! CI001 unparseable-workflow: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags a workflow (`.github/workflows/*.yml`) or action (`action.yml`) that assay could not read: a YAML syntax error, a file over 2 MiB, nesting deeper than 64 levels, more than 200,000 nodes, or aliases that would expand past 400,000 nodes (the "billion laughs" shape). The file is not audited; the finding names it and the limit.
    ///
    /// ## Why it matters
    /// A file assay cannot read is a file it cannot vouch for: reporting nothing would turn a parser failure into "clean" (fail closed). GitHub itself rejects most of these files, so the finding is usually a broken workflow, sometimes a file shaped to hide from scanners.
    ///
    /// ## Example
    /// `a9: &a9 [*a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8]` (nine levels of ten aliases: 10⁹ nodes when expanded).
    ///
    /// ## False positives
    /// YAML that GitHub's parser accepts but saphyr's does not. One known difference (a flow collection closed at its key's indentation) is retried leniently; report others.
    ///
    /// ## References
    /// - YAML 1.2.2 specification, "Anchors and aliases"
    /// - CWE-776: Improper Restriction of Recursive Entity References
    pub static META = UnparseableWorkflow;
}
