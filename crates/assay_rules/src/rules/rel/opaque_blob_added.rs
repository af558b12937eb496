//! REL003 opaque-blob-added: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// Flags an added file of no known format whose entropy is at least 7.2 bits per byte,
    /// or an added minified code file (a line of 5,000 characters or more), when the
    /// previous release had no file of that kind (`assay diff`).
    ///
    /// ## Why it matters
    /// Encrypted or compressed payloads and minified droppers are how code avoids review:
    /// event-stream's payload sat in a minified file, xz-utils' in binary test files.
    ///
    /// ## Example
    /// `lib/data.bin` (64 KiB, entropy 7.98) added in a patch release.
    ///
    /// ## False positives
    /// Projects that start shipping a bundle or compressed data. Low: context for a
    /// reviewer, not a verdict.
    ///
    /// ## References
    /// - event-stream compromise (2018)
    /// - MITRE ATT&CK T1027
    pub static META = OpaqueBlobAdded;
}
