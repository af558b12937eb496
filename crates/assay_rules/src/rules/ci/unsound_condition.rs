//! CI022 unsound-condition: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `if:` values that contain `${{ … }}` together with other text, e.g. a block scalar (`if: |`) that leaves a trailing newline, or text before the delimiters.
    ///
    /// ## Why it matters
    /// GitHub evaluates the expression, then sees a non-empty string, which is truthy: the step always runs, whatever the condition says.
    ///
    /// ## Example
    /// `if: |
    ///   ${{ github.event_name != 'push' }}`.
    ///
    /// ## False positives
    /// None: the condition never does what it says.
    ///
    /// ## References
    /// - GitHub Docs, "Evaluate expressions in workflows and actions"
    /// - GitHub Docs, "Workflow syntax: jobs.<job_id>.if"
    pub static META = UnsoundCondition;
}
