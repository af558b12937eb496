//! ML034 unsigned-file (raised by `assay verify`, crates/assay_signing; tested in crates/assay/tests/signing.rs).

declare_rule! {
    /// ## What it does
    /// Flags a file in the model directory that the signature does not list (unless `--ignore-unsigned-files`).
    ///
    /// ## Why it matters
    /// An unsigned extra file (a pickle, a `custom_code.py`) can be loaded next to signed weights.
    ///
    /// ## Example
    /// `extra.pkl` added next to signed weights.
    ///
    /// ## False positives
    /// Local caches written into the model directory; add them to `--ignore-paths`.
    ///
    /// ## References
    /// - OpenSSF Model Signing (OMS) v1.0: https://github.com/sigstore/model-transparency
    /// - CWE-345: Insufficient Verification of Data Authenticity
    pub static META = UnsignedFile;
}
