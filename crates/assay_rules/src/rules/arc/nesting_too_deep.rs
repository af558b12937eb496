//! ARC009 nesting-too-deep (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags archives inside archives beyond the nesting bound; the inner content is not analysed.
    ///
    /// ## Why it matters
    /// Deep nesting hides payloads from scanners with shallow limits.
    ///
    /// ## Example
    /// A zip in a tar in a zip in a wheel.
    ///
    /// ## False positives
    /// Test fixtures of archive libraries.
    ///
    /// ## References
    /// - CWE-409
    pub static META = NestingTooDeep;
}
