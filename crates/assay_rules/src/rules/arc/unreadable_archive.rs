//! ARC007 unreadable-archive (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags archives that cannot be read to the end: truncated streams, bad CRCs, corrupt headers, empty files. Entries read before the error are still analysed.
    ///
    /// ## Why it matters
    /// Installers and scanners may see different content from a damaged archive; an unreadable input is never reported clean.
    ///
    /// ## Example
    /// A `.tar.gz` cut off mid-stream.
    ///
    /// ## False positives
    /// Damaged downloads.
    ///
    /// ## References
    /// - CWE-20: Improper Input Validation
    pub static META = UnreadableArchive;
}
