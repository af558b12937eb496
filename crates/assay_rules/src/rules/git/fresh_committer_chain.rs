//! GIT011 fresh-committer-chain: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags a commit whose author is new to the project (at most 3 earlier commits) and has so far reached the history only through a committer who is a newcomer too (first seen in the later half of a history of at least 100 commits), when author and committer are different identities after `.mailmap` and e-mail/name merging. Hosting-service committers (`GitHub <noreply@github.com>`, `GitLab`) are not identities and never match.
    ///
    /// ## Why it matters
    /// A sock-puppet chain lends a fresh identity the look of a second contributor: in xz-utils the ifunc loader code was authored by a second fresh identity and committed by the newcomer maintainer. Established maintainers vouching for a first-time contributor is normal; a newcomer vouching for another newcomer is not yet trust.
    ///
    /// ## Example
    /// Commit 230 of a 200-commit maintainer history: author `Hans New <hans@…>`, committer `Jia Newcomer <jia@…>`, whose first commit was number 201.
    ///
    /// ## False positives
    /// A new co-maintainer applying patches from new contributors (young projects, hand-overs). The weight is small: with nothing else it never reaches "look".
    ///
    /// ## References
    /// - xz-utils backdoor timeline (CVE-2024-3094)
    /// - git-interpret-trailers / gitmailmap(5) for identity merging
    pub static META = FreshCommitterChain;
}
