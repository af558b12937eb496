//! ARC001 path-traversal-entry (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags archive entries whose name contains a `..` component.
    ///
    /// ## Why it matters
    /// An extractor that trusts the name writes outside its target directory (zip-slip): over shell rc files, scripts or other packages. assay never extracts, but an installer might.
    ///
    /// ## Example
    /// `../../.bashrc` inside a wheel.
    ///
    /// ## False positives
    /// None: valid wheels and sdists never need it.
    ///
    /// ## References
    /// - CWE-22: Path Traversal
/// - Snyk, "Zip Slip" (2018)
    pub static META = PathTraversalEntry;
}
