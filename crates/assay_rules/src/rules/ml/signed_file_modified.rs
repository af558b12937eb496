//! ML032 signed-file-modified (raised by `assay verify`, crates/assay_signing; tested in crates/assay/tests/signing.rs).

declare_rule! {
    /// ## What it does
    /// Flags a file (or shard) whose sha256 on disk differs from the digest in a valid signature.
    ///
    /// ## Why it matters
    /// The weights, tokenizer or code of a signed model were changed after signing: tampering or corruption.
    ///
    /// ## Example
    /// A byte of `model.safetensors` flipped after `assay sign`.
    ///
    /// ## False positives
    /// Files rewritten by tools (line endings, git filters) after signing.
    ///
    /// ## References
    /// - OpenSSF Model Signing (OMS) v1.0: https://github.com/sigstore/model-transparency
    /// - CWE-345: Insufficient Verification of Data Authenticity
    pub static META = SignedFileModified;
}
