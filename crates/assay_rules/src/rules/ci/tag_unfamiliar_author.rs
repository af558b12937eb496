//! CI031 tag-unfamiliar-author: raised by `assay tags` (crates/assay_history/src/tags.rs); its must-match and
//! must-not-match tests are in crates/assay/tests/tags.rs.

declare_rule! {
    /// ## What it does
    /// For each tag, reads the author and committer of the commit it points at. Reports one that is new to the repository — no commit the tag's commit descends from carries that e-mail as author or committer (medium) — or that is named like a bot: `[bot]`, or `bot` as a word of the name or of the e-mail's local part (low). A root commit has no history to compare with and is never "new"; a history walk past 200,000 commits reports nothing new for that tag.
    ///
    /// ## Why it matters
    /// A release tag moved onto a commit that someone outside the project wrote is the tj-actions/changed-files shape (CVE-2025-30066): the malicious commit was made under a bot's name, and git author names and e-mails are free text that anyone can set. A release whose commit comes from a first-time identity deserves a look before it is trusted.
    ///
    /// ## Example
    /// Tag `v1.2.0` points at a commit by `renovate[bot] <bot@example.invalid>` whose e-mail appears nowhere earlier in the history.
    ///
    /// ## False positives
    /// A new maintainer's first release, or a release bot (release-please, semantic-release) that tags its own commits: low for the bot name alone, medium when the identity is also new. Identities are compared by e-mail, without `.mailmap`.
    ///
    /// ## References
    /// - GHSA-mrrh-fwg8-r2c3 (tj-actions/changed-files)
    /// - git-commit(1), "COMMIT INFORMATION" (author and committer are set freely)
    pub static META = TagUnfamiliarAuthor;
}
