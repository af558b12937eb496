//! GIT017 dependency-source-risk: raised by `assay history` (crates/assay_history), which holds
//! its must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags a commit that adds a dependency, or re-points an existing one, to a source outside the package registry (a git repository, an `http(s)` URL or tarball, a `github:` shorthand, a Go `replace` to another module), or adds a dependency whose name imitates a popular package of its registry (the typosquat model of `assay deps`). Local paths inside the repository (workspaces, `file:` packages) are not flagged.
    ///
    /// ## Why it matters
    /// A registry dependency is pinned by name and version and is visible to advisory databases; a URL or git source is whatever that address serves at install time, and a look-alike name is the usual way to slip a hostile package past a reviewer.
    ///
    /// ## Example
    /// `re-points npm dependency left-pad from ^1.3.0 to git+https://example.com/x/left-pad.git in package.json`.
    ///
    /// ## False positives
    /// Projects that deliberately build from a fork or a git revision while a fix is unreleased. The evidence names the source so the reviewer can check it.
    ///
    /// ## References
    /// - npm docs, package.json "URLs as Dependencies", "Git URLs as Dependencies"
    /// - PEP 508 direct references; Cargo "Specifying dependencies from git repositories"; Go modules `replace`
    pub static META = DependencySourceRisk;
}
