//! GIT008 loader-trick: raised by `assay history` (crates/assay_history), which holds its
//! must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Flags added lines in C/C++ sources and build files that use GNU indirect functions (`ifunc`), constructors (`__attribute__((constructor))`), `dlsym`/`dlopen` lookups, `LD_PRELOAD`/`LD_AUDIT`, or name the GOT/PLT.
    ///
    /// ## Why it matters
    /// The xz-utils backdoor hooked `RSA_public_decrypt` through an ifunc resolver and a GOT rewrite; such code runs at load time in every process that links the library.
    ///
    /// ## Example
    /// `__attribute__((ifunc("crc64_resolve")))` added to `src/liblzma/check/crc64_fast.c`.
    ///
    /// ## False positives
    /// CPU-dispatch code (ifunc for SIMD variants) and plugin loaders are common in performance libraries.
    ///
    /// ## References
    /// - xz-utils backdoor (CVE-2024-3094)
    pub static META = LoaderTrick;
}
