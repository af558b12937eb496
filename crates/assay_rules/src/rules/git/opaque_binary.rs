//! GIT002 opaque-binary-added: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags binary blobs (NUL bytes or invalid UTF-8 in the first 8 KiB, at least 1 KiB long) added or rewritten by a commit whose byte entropy is at least 7.2 bits per byte, measured over the first 64 KiB.
    ///
    /// ## Why it matters
    /// Opaque, high-entropy blobs cannot be reviewed by reading them; the xz-utils backdoor hid its payload in "corrupt" test files.
    ///
    /// ## Example
    /// `tests/files/bad-3-corrupt_lzma2.xz`, 40 KiB of random-looking bytes.
    ///
    /// ## False positives
    /// Compression libraries keep compressed test vectors and fuzzing corpora; alone this finding is weak, and it is weaker still when the file is named by a test or produced by a generator in the tree.
    ///
    /// ## References
    /// - Shannon entropy; xz-utils backdoor (CVE-2024-3094)
    pub static META = OpaqueBinaryAdded;
}
