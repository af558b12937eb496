//! ARC010 path-too-long (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags entries whose name is longer than the bound (the entry is skipped).
    ///
    /// ## Why it matters
    /// Overlong names break tools differently and can hide files.
    ///
    /// ## Example
    /// A 5,000-character entry name.
    ///
    /// ## False positives
    /// None known for packages.
    ///
    /// ## References
    /// - CWE-20
    pub static META = PathTooLong;
}
