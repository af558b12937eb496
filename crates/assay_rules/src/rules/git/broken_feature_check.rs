//! GIT006 broken-feature-check: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Finds C snippets of build feature checks (CMake `check_c_source_compiles`/`check_c_source_runs`, autoconf `AC_COMPILE_IFELSE`/`AC_LINK_IFELSE` with `AC_LANG_PROGRAM`/`AC_LANG_SOURCE`) that the commit adds or changes, and parses them with tree-sitter-c; a snippet that does not parse is flagged with its file and line. No compiler is run.
    ///
    /// ## Why it matters
    /// A check that can never compile silently turns the feature off. The xz-utils backdoor disabled Landlock sandboxing with a single stray `.` in such a snippet.
    ///
    /// ## Example
    /// `check_c_source_compiles("#include <linux/landlock.h>\n.\nint main(void){return 0;}" HAVE_LINUX_LANDLOCK)`.
    ///
    /// ## False positives
    /// Snippets that rely on macros defined by the build tool (`@VAR@` substitutions) are preprocessed loosely; tree-sitter's C grammar accepts more than a compiler, so this misses some broken snippets rather than flagging good ones.
    ///
    /// ## References
    /// - xz-utils commit 328c52da (Landlock check)
    /// - CMake `CheckCSourceCompiles`
    pub static META = BrokenFeatureCheck;
}
