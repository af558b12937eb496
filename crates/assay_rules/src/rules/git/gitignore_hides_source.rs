//! GIT009 gitignore-hides-source: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags literal file names (no wildcard) added to a `.gitignore` whose extension is one the repository tracks at least twice as source or build input (`.m4`, `.c`, `.h`, `.cmake`, `.sh`, `.py`, `.am`, `.in`, …), when no file of that path is tracked and no other tracked file names it.
    ///
    /// ## Why it matters
    /// A build input that is ignored in git can ship only in release tarballs, where nobody reviews it; xz-utils' `build-to-host.m4` reached users this way.
    ///
    /// ## Example
    /// `m4/.gitignore` gains the line `build-to-host.m4`.
    ///
    /// ## False positives
    /// Generated sources (`config.h`, `parser.c` from yacc) are ignored for good reasons; they are usually named by the build file that generates them, which clears the finding.
    ///
    /// ## References
    /// - xz-utils `m4/.gitignore` (CVE-2024-3094)
    pub static META = GitignoreHidesSource;
}
