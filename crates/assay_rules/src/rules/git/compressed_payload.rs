//! GIT004 compressed-fixture-payload: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Decodes compressed blobs (`.xz`, `.lzma`, `.gz`, `.bz2`, zlib) added or rewritten by a commit with the scan core's bounded decoders and flags those whose content is a native executable or shell/script text.
    ///
    /// ## Why it matters
    /// A test fixture has no business holding an executable or a script; xz-utils' fixtures held a shell stage and an ELF object.
    ///
    /// ## Example
    /// `tests/files/good-large.xz` whose decoded bytes start with `#!/bin/sh`.
    ///
    /// ## False positives
    /// Test suites of archivers that compress their own scripts as sample data.
    ///
    /// ## References
    /// - xz-utils backdoor (CVE-2024-3094)
    pub static META = CompressedFixturePayload;
}
