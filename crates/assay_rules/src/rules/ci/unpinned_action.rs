//! CI006 unpinned-action: raised by `assay scan` on workflows and actions (crate `assay_ci`), which holds
//! its must-match and must-not-match fixtures.

declare_rule! {
    /// ## What it does
    /// Flags `uses: owner/repo@ref` (steps and reusable-workflow calls) whose ref is not a full 40-hex commit SHA. Low for GitHub's own `actions/*` and `github/*`, medium for every other owner and for a `uses:` with no ref. Local actions (`./…`) are skipped. Refs that are mutable by design (`@main`, `@master`, `@release/v1` of pypa/gh-action-pypi-publish) are reported like tags: a branch moves on every push.
    ///
    /// ## Why it matters
    /// A tag is a pointer its owner (or whoever steals the owner's token) can move. In tj-actions/changed-files (CVE-2025-30066) every version tag was moved to a commit that dumped secrets into logs, and 23,000 repositories ran it. A SHA pin fixes what runs.
    ///
    /// ## Example
    /// `uses: tj-actions/changed-files@v45` (pin: `uses: tj-actions/changed-files@<40-hex sha> # v45`).
    ///
    /// ## False positives
    /// Repositories that accept the risk for first-party actions; a SHA that belongs to a fork (an impostor commit) is *not* caught here: that needs the online check of `assay tags`.
    ///
    /// ## References
    /// - GitHub Docs, "Security hardening for GitHub Actions: using third-party actions"
    /// - CVE-2025-30066 (tj-actions/changed-files)
    pub static META = UnpinnedAction;
}
