//! GIT014 direct-push-by-newcomer: raised by `assay history` (crates/assay_history), which holds
//! its must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// In a project whose main line (the first-parent chain of `HEAD`) mostly grows by merges (at least half of its last 20 commits, after at least 10), flags the first non-merge main-line commit committed by a newcomer identity (first seen in the later half of a history of at least 100 commits): the first time that identity changed the main line without a merge. Commits made by a hosting service on the author's behalf (`GitHub <noreply@github.com>` squash merges) are not direct changes.
    ///
    /// ## Why it matters
    /// Git records no pushes, but a commit that lands on the main line without the merge every other change went through has bypassed the project's usual review. In xz-utils the newcomer's later changes went straight onto the main branch once they had commit rights.
    ///
    /// ## Example
    /// 40 pull-request merges in a row, then `Add fast CRC path` committed directly by a contributor whose first commit was recent.
    ///
    /// ## False positives
    /// A new maintainer's first release-bump commit. The weight is small: with nothing else it never reaches "look".
    ///
    /// ## References
    /// - xz-utils backdoor timeline (CVE-2024-3094)
    /// - OpenSSF Scorecard "Code-Review" and "Branch-Protection" checks (the repository-level view of the same risk)
    pub static META = DirectPushByNewcomer;
}
