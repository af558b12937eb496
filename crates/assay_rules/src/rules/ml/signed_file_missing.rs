//! ML033 signed-file-missing (raised by `assay verify`, crates/assay_signing; tested in crates/assay/tests/signing.rs).

declare_rule! {
    /// ## What it does
    /// Flags a file (or shard) listed in a valid signature that is not on disk.
    ///
    /// ## Why it matters
    /// A model without one of its signed parts is not the model that was signed; a removed file can change loading behaviour.
    ///
    /// ## Example
    /// `tokenizer.json` deleted after signing.
    ///
    /// ## False positives
    /// Partial downloads.
    ///
    /// ## References
    /// - OpenSSF Model Signing (OMS) v1.0: https://github.com/sigstore/model-transparency
    /// - CWE-345: Insufficient Verification of Data Authenticity
    pub static META = SignedFileMissing;
}
