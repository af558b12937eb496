//! ARC006 archive-bomb (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags archives that exceed assay's bounds on entry count, total or per-entry uncompressed size, compression ratio, or whose declared sizes lie. Reading stops at the bound.
    ///
    /// ## Why it matters
    /// Decompression bombs exhaust disk or memory of installers and scanners; a scanner that gives up must not report clean.
    ///
    /// ## Example
    /// A 40 KB zip expanding to 4 GB.
    ///
    /// ## False positives
    /// Very large legitimate wheels (GPU libraries) can exceed total-size bounds; raise `--max-total-size` for those.
    ///
    /// ## References
    /// - CWE-409: Improper Handling of Highly Compressed Data
    pub static META = ArchiveBomb;
}
