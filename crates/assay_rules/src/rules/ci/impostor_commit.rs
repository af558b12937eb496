//! CI029 impostor-commit: raised by `assay tags --online` (decisions in crates/assay_ci/src/pins.rs,
//! the GitHub lookup in crates/assay/src/commands/github.rs); tested against a local server in
//! crates/assay/tests/tags_online.rs.

declare_rule! {
    /// ## What it does
    /// With `assay tags --online`, asks GitHub whether each `uses: owner/repo@<40-hex SHA>` pin of the repository's workflows and actions is reachable from a branch or tag of `owner/repo`: the head of one of the first 100 branches or tags, or an ancestor of the default branch or of up to 10 other branches and tags (`GET /repos/{o}/{r}/compare/{base}...{sha}` is `behind` or `identical`). A commit none of them reaches is reported (high); a lookup that fails (network, rate limit, a response over 4 MiB) is reported as not verified (low).
    ///
    /// ## Why it matters
    /// GitHub stores the commits of a repository and all its forks together and serves any of them under the parent's name: `actions/checkout@<sha of a fork's commit>` runs the fork's code. A pull request that "pins an action to a SHA" can smuggle in such a commit, and a SHA looks trustworthy. The tj-actions/changed-files tags pointed at a commit on no branch.
    ///
    /// ## Example
    /// `uses: actions/checkout@c7d749a2d57b4b375d1ebcd17cfbfb60c676f18e` where no branch or tag of actions/checkout contains that commit.
    ///
    /// ## False positives
    /// A commit on an old branch or tag beyond the ones checked (repositories with hundreds of tags) is reported: the finding says how many were checked. Off by default: nothing is fetched without `--online`. Set `$GITHUB_TOKEN` to avoid the unauthenticated rate limit.
    ///
    /// ## References
    /// - Chainguard, "What the fork? Imposter commits in GitHub Actions and CI/CD"
    /// - zizmor, audit `impostor-commit`
    /// - GitHub REST API, "Compare two commits"
    pub static META = ImpostorCommit;
}
