//! GIT012 new-tag-signer: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags the commit a signed annotated tag points at when that tag is the first one signed by its tagger (identities merged by `.mailmap` and e-mail/name variants), earlier signed tags exist and were all made by others, and the tagger is new to the project (first seen in the later half of the history up to the tagged commit, or never seen as an author or committer).
    ///
    /// ## Why it matters
    /// Release signing is where trust is handed over: the first release signed by a new identity is the moment downstream packagers start trusting that key. In xz-utils the backdoored 5.6.0 and 5.6.1 releases were the first signed by the newcomer.
    ///
    /// ## Example
    /// Tags `v1.0`…`v1.4` signed by the maintainer, then `v1.5` signed by a contributor who first committed 30 commits ago.
    ///
    /// ## False positives
    /// A planned hand-over of release duties. The finding is evidence to check the hand-over was announced, not a verdict.
    ///
    /// ## References
    /// - xz-utils backdoor timeline (CVE-2024-3094)
    /// - git-tag(1): signed tags
    pub static META = NewTagSigner;
}
