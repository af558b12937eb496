//! CI024 tag-moved: raised by `assay tags` (crates/assay_history/src/tags.rs); its must-match and
//! must-not-match tests are in crates/assay/tests/tags.rs.

declare_rule! {
    /// ## What it does
    /// Compares every tag of the repository with the commit recorded for it in the tag lockfile (`assay-tags.lock`, written by the first `assay tags` run) and flags tags that now point elsewhere.
    ///
    /// ## Why it matters
    /// Release tags are what consumers pin (`uses: owner/action@v4`, `git clone --branch v1.2`). A moved tag silently changes what they run: in tj-actions/changed-files (CVE-2025-30066) every version tag was re-pointed to a malicious commit.
    ///
    /// ## Example
    /// The lockfile records `v45 = "a1b2…"`; after a force-push `v45` is `f00d…`: `tag v45 moved from a1b2… to f00d…`.
    ///
    /// ## False positives
    /// Projects that move a floating major tag (`v4`) on purpose at each release: refresh the lockfile after reviewing the move.
    ///
    /// ## References
    /// - CVE-2025-30066 (tj-actions/changed-files)
    /// - git-tag(1), "On Re-tagging"
    pub static META = TagMoved;
}
