//! CI030 ref-confusion: raised by `assay tags --online` (decisions in crates/assay_ci/src/pins.rs,
//! the GitHub lookup in crates/assay/src/commands/github.rs); tested against a local server in
//! crates/assay/tests/tags_online.rs.

declare_rule! {
    /// ## What it does
    /// With `assay tags --online`, asks GitHub whether each `uses: owner/repo@ref` ref (not a full SHA) names both a branch and a tag of `owner/repo` (`GET /repos/{o}/{r}/git/matching-refs/heads/{ref}` and `…/tags/{ref}`, exact names). Both: medium. A lookup that fails: low, not verified.
    ///
    /// ## Why it matters
    /// Branch and tag names share one namespace in `uses:`. When a ref is both, which one runs is GitHub's choice, and someone allowed to push branches but not tags can create the branch and have every caller run its code.
    ///
    /// ## Example
    /// `uses: woodruffw/gha-hazmat/ref-confusion@confusable` where `confusable` is a tag and a branch.
    ///
    /// ## False positives
    /// A branch kept on purpose beside a tag of the same name at the same commit is still ambiguous and reported. Off by default: nothing is fetched without `--online`.
    ///
    /// ## References
    /// - zizmor, audit `ref-confusion`
    /// - GitHub REST API, "List matching references"
    pub static META = RefConfusion;
}
