//! REL008 file-differs-from-source: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// `assay provenance`: a published code file whose content differs from the same file
    /// at the tagged commit, unless every differing line names a version (a build writing
    /// `__version__`).
    ///
    /// ## Why it matters
    /// The Ultralytics 8.3.41 wheel's code differed from the GitHub source it claimed; a
    /// release built from an unreviewed working tree looks the same.
    ///
    /// ## Example
    /// `pkg/downloads.py` in the wheel has three lines that the tag's file does not.
    ///
    /// ## False positives
    /// Builds that rewrite sources (code generation, vendoring tools that patch imports).
    /// The introduced scan findings say whether the difference does anything.
    ///
    /// ## References
    /// - Ultralytics PyPI compromise (2024)
    /// - MITRE ATT&CK T1195.002
    pub static META = FileDiffersFromSource;
}
