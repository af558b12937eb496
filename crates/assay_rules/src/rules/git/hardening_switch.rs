//! GIT007 hardening-switch-touched: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags added or removed lines of build files (CMake, autoconf, m4, Makefiles, meson) that mention landlock, seccomp, sandbox, capsicum, pledge, `_FORTIFY_SOURCE`, RELRO, PIE, `-fcf-protection`/CET or stack protectors.
    ///
    /// ## Why it matters
    /// Turning a hardening switch off is rarely announced; a change to one deserves a look even when the message says otherwise.
    ///
    /// ## Example
    /// `-    -D_FORTIFY_SOURCE=2` removed from `CMakeLists.txt`.
    ///
    /// ## False positives
    /// Legitimate hardening work (adding flags) also matches; the weight is small.
    ///
    /// ## References
    /// - OpenSSF Compiler Options Hardening Guide
    pub static META = HardeningSwitchTouched;
}
