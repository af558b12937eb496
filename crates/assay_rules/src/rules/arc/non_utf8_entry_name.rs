//! ARC005 non-utf8-entry-name (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags entry names that are not valid UTF-8 (shown lossily).
    ///
    /// ## Why it matters
    /// Tools render such names differently, which can hide a file from review.
    ///
    /// ## Example
    /// A name with byte 0xff.
    ///
    /// ## False positives
    /// Old archives made on legacy code pages.
    ///
    /// ## References
    /// - PEP 427 (wheel file names are UTF-8)
    pub static META = NonUtf8EntryName;
}
