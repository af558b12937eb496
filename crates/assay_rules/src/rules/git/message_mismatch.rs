//! GIT010 message-diff-mismatch: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Learns, from the past commits only, which directories each message prefix (`Tests:`, `docs:`) touches. Flags a commit whose prefix was seen at least 5 times and never with a top-level build file, when this commit changes one.
    ///
    /// ## Why it matters
    /// A commit titled as a test or doc change is reviewed lightly; using such a title for a build change is a way to pass review.
    ///
    /// ## Example
    /// `Tests: Add a few test files.` that also edits `CMakeLists.txt`.
    ///
    /// ## False positives
    /// Projects whose prefixes are loose; the weight is small.
    ///
    /// ## References
    /// - xz-utils history
    pub static META = MessageDiffMismatch;
}
