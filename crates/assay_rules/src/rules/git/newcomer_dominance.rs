//! GIT001 newcomer-dominance: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags commits whose author (identities merged by `.mailmap`, name and e-mail variants) first appeared recently in a history that is long, and who already wrote a large share of the last commits (default: at least 30 % of the last 50, with at most 150 commits of tenure, after at least 100 commits of history).
    ///
    /// ## Why it matters
    /// The xz-utils backdoor was committed by a newcomer who became the dominant committer within two years. Dominance is not wrong in itself; it is weak evidence that adds to the other GIT findings of the same commit.
    ///
    /// ## Example
    /// A maintainer's 200 commits, then a new identity writes 20 of the next 40.
    ///
    /// ## False positives
    /// New maintainers and bursts by a new contributor (a big refactor, a GSoC project). The weight is small on purpose: alone it never reaches "look".
    ///
    /// ## References
    /// - xz-utils backdoor timeline (CVE-2024-3094)
    pub static META = NewcomerDominance;
}
