//! GIT018 dependency-registry-evidence: raised by `assay history --online` (crates/assay_history
//! `online`, the lookups in crates/assay/src/commands/history.rs), which holds its must-match and
//! must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Only with `assay history --online`. For every third-party dependency a commit adds under a name the project never used before (the dependencies of GIT016 and GIT017, and any other newly named package outside the bundled popular lists), asks the package's registry (npm registry, PyPI JSON API, crates.io API; the same client and flags as `assay deps --online`) what it knows, and flags the commit when:
    /// - the package was **created on the registry shortly before the commit** (fewer than 30 days; the evidence gives the days);
    /// - its **first version was published by the committer** (the npm or crates.io account name equals the local part of the author's email or the author's name) — someone pulling in a package of their own;
    /// - the registry **no longer has it** (404, or every version unpublished, as npm does when it removes malware) or holds only a `0.0.1-security` placeholder (npm's replacement for packages removed as malicious).
    ///
    /// A commit by a long-time contributor that adds an established package is never flagged. Without `--online` nothing goes to the network and this rule is silent.
    ///
    /// ## Why it matters
    /// Whether a dependency is trustworthy is a fact about the registry, not the repository. In event-stream (2018) the new maintainer added `flatmap-stream`, a package he had published days before; npm later removed it as malware. The history alone shows a newcomer adding an unknown name (GIT016); the registry shows it was his own, brand-new, and is gone.
    ///
    /// ## Example
    /// `npm dependency flatmap-stream (added in package.json): the registry no longer has it (removed or unpublished; npm removes malware this way)`.
    ///
    /// ## False positives
    /// A maintainer who splits code into a new package of their own and depends on it the same week. The evidence says which fact matched; a package that is still published, old and by someone else is never flagged.
    ///
    /// ## References
    /// - event-stream incident (dominictarr/event-stream#116, November 2018); npm, "Details about the event-stream incident"
    /// - npm registry API (packument `time.created`, `versions[v]._npmUser`); PyPI JSON API; crates.io API
    pub static META = DependencyRegistryEvidence;
}
