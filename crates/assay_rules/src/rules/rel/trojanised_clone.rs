//! REL013 trojanised-clone: raised by `assay diff --against-upstream`
//! (crates/assay/src/commands/diff.rs, crates/assay_release), tested in
//! crates/assay/tests/registry_specs.rs against a local index.

declare_rule! {
    /// ## What it does
    /// `assay diff --against-upstream PACKAGE`: when the package's name imitates a
    /// popular project (the typosquat model of `PKG010`) or its metadata claims a popular
    /// project's repository (`Home-page`/`Project-URL`, `package.json` `repository` or
    /// `homepage` naming `github.com/OWNER/PROJECT`), the imitated project's release of
    /// the same version (else its latest) is fetched from the registry and compared with
    /// the package, as `assay diff` compares releases. Findings the copy introduces whose
    /// code reaches the network or starts processes make this critical: the copy is the
    /// original plus a sink.
    ///
    /// ## Why it matters
    /// Typosquats increasingly ship a complete, working copy of the project they imitate,
    /// with one malicious change: keys sent to a server from inside a copied SDK, a
    /// wallet transfer redirected. Read alone, the copy looks like a normal library; name
    /// rules flag the name but cannot say what was changed. The diff against the original
    /// shows exactly the change.
    ///
    /// ## Example
    /// `reqeusts` 2.32.3 is `requests` 2.32.3 plus one `requests.post(...)` of
    /// `os.environ` to an unknown host in `sessions.py`.
    ///
    /// ## False positives
    /// Legitimate forks with a renamed distribution that add networking features
    /// (`requests-foo`); the name model's known-projects list keeps established forks
    /// out of the imitation check.
    ///
    /// ## References
    /// - MITRE ATT&CK T1195.002 (Compromise Software Supply Chain)
    /// - Checkmarx, Socket and Phylum reports on trojanised SDK clones on PyPI and npm (2023–2025)
    pub static META = TrojanisedClone;
}
