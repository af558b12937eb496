//! CI025 tag-off-branch: raised by `assay tags` (crates/assay_history/src/tags.rs); its must-match and
//! must-not-match tests are in crates/assay/tests/tags.rs.

declare_rule! {
    /// ## What it does
    /// Flags tags whose commit no local or remote branch of the repository reaches (the walk from branch tips is bounded; past the bound nothing is reported).
    ///
    /// ## Why it matters
    /// A release commit that is on no branch never went through review or CI; it is the shape of the tj-actions compromise, where the tags were moved to a commit pushed to no branch.
    ///
    /// ## Example
    /// `git tag -f v1 $(git commit-tree HEAD^{tree} -m x)`: `tag v1 points at …, a commit that no branch reaches`.
    ///
    /// ## False positives
    /// Clones that fetched tags but not the branches that hold them (a `--single-branch` clone), and projects that release from deleted maintenance branches.
    ///
    /// ## References
    /// - CVE-2025-30066 (tj-actions/changed-files)
    /// - Chainguard, "What the fork? Imposter commits in GitHub Actions and CI/CD"
    pub static META = TagOffBranch;
}
