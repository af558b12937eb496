//! GIT003 unreferenced-binary: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// For each binary added or rewritten by a commit, searches the text files of that commit's tree (bounded: at most 20,000 files and 64 MiB) for the file's name; flags it when nothing names it, so no test uses it and no generator produces it.
    ///
    /// ## Why it matters
    /// A test file that no test reads has no reason to exist except to be read by something that does not say so, such as the xz-utils build script that extracted its payload from `tests/files/`.
    ///
    /// ## Example
    /// `tests/files/bad-3-corrupt_lzma2.xz` added while no test, Makefile or script mentions `bad-3-corrupt_lzma2.xz`.
    ///
    /// ## False positives
    /// Files read by globbing a directory (`tests/files/*`), corpora used by fuzzers configured outside the repository. The search is bounded; a tree larger than the bound is reported as unreferenced only when the part searched names nothing.
    ///
    /// ## References
    /// - xz-utils backdoor (CVE-2024-3094)
    pub static META = UnreferencedBinary;
}
