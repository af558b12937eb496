//! ARC004 duplicate-entry (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags entry names that occur more than once.
    ///
    /// ## Why it matters
    /// Readers disagree on which copy wins (first vs last, local vs central directory), so a scanner and an installer can see different files — a known way to smuggle code past review.
    ///
    /// ## Example
    /// Two `pkg/__init__.py` entries with different content.
    ///
    /// ## False positives
    /// Some build tools store a file twice (an sdist builder following a symlinked
    /// directory); two whole, byte-identical copies allow no differential and are low.
    /// Copies that differ, or could not both be read whole, keep the default severity.
    ///
    /// ## References
    /// - CWE-436: Interpretation Conflict
    pub static META = DuplicateEntry;
}
