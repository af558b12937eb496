//! ARC002 absolute-path-entry (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags entries whose name starts with `/`, `\\` or a drive letter (`C:`).
    ///
    /// ## Why it matters
    /// Extractors that honour absolute names write anywhere the user can.
    ///
    /// ## Example
    /// `/etc/cron.d/x` inside an sdist.
    ///
    /// ## False positives
    /// None for package archives.
    ///
    /// ## References
    /// - CWE-22: Path Traversal
    pub static META = AbsolutePathEntry;
}
