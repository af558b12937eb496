//! GIT005 binary-rewritten-vaguely: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags commits that rewrite an existing high-entropy binary when the commit message is short and vague (a few words such as "update", "fix", "regenerate" with no file, issue or reason).
    ///
    /// ## Why it matters
    /// Swapping the bytes of an opaque fixture is the step that delivered the second stage of the xz-utils backdoor ("Tests: Update two test files.").
    ///
    /// ## Example
    /// `Tests: Update two test files.` replacing `tests/files/bad-3-corrupt_lzma2.xz`.
    ///
    /// ## False positives
    /// Routine regeneration of binary test vectors with terse messages.
    ///
    /// ## References
    /// - xz-utils commit 6e636819 ("Tests: Update two test files.")
    pub static META = BinaryRewrittenVaguely;
}
