//! ARC008 format-mismatch (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags archives whose real format (by magic bytes) differs from their extension, e.g. a zip named `.tar.gz`.
    ///
    /// ## Why it matters
    /// Tools that trust the extension skip or misread such files; malware uploads have used this to dodge scanners.
    ///
    /// ## Example
    /// `pkg-1.0.tar.gz` that is a zip.
    ///
    /// ## False positives
    /// Some old upload tools mislabelled archives.
    ///
    /// ## References
    /// - MITRE ATT&CK T1036.008 (Masquerade File Type)
    pub static META = FormatMismatch;
}
