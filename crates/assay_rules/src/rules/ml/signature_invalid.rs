//! ML031 signature-invalid (raised by `assay verify`, crates/assay_signing; tested in crates/assay/tests/signing.rs).

declare_rule! {
    /// ## What it does
    /// Flags a DSSE signature that does not verify with the public key given by `--key`, a bundle naming a different key, or a certificate chain that does not lead to a `--certificate-chain` anchor.
    ///
    /// ## Why it matters
    /// The model or its manifest was changed after signing, or someone else signed it.
    ///
    /// ## Example
    /// `assay verify ./model --key other.pub`.
    ///
    /// ## False positives
    /// Verifying with the wrong key file.
    ///
    /// ## References
    /// - OpenSSF Model Signing (OMS) v1.0: https://github.com/sigstore/model-transparency
    /// - CWE-345: Insufficient Verification of Data Authenticity
    pub static META = SignatureInvalid;
}
