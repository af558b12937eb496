//! GIT015 content-unavailable: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Lists, per commit, the objects `assay history` needed but the clone does not hold: blobs and trees left out by a partial clone (`git clone --filter=blob:none`, `--filter=blob:limit=…`) and parents cut off by a shallow clone (`--depth`). The commit is judged on what is present; nothing is fetched (a partial clone's promisor remote is never contacted).
    ///
    /// ## Why it matters
    /// A commit judged without its content may look cleaner than it is: the largest blobs, which a size filter leaves out, are exactly the opaque binaries other rules look at. The finding says which verdicts rest on partial evidence, so a reviewer can re-run on a full clone.
    ///
    /// ## Example
    /// `3 objects not in this clone: blob tests/files/bad-3.xz, blob tests/files/good-2.xz, tree doc/; judged on what is present`.
    ///
    /// ## False positives
    /// None in the usual sense: the finding is informational and scores no points by default. It is raised on every commit whose content is incomplete.
    ///
    /// ## References
    /// - git-clone(1) `--filter`, `--depth`; gitrepository-layout(5) `shallow`
    /// - Git documentation, "Partial Clone" (promisor remotes)
    pub static META = ContentUnavailable;
}
