//! ML030 signature-bundle-malformed (raised by `assay verify`, crates/assay_signing; tested in crates/assay/tests/signing.rs).

declare_rule! {
    /// ## What it does
    /// Flags a signature file that is not a well-formed Sigstore bundle carrying an OMS v1.0 in-toto statement (bad JSON, missing fields, wrong payload or predicate type, subject digest that does not match the listed digests).
    ///
    /// ## Why it matters
    /// A signature that cannot be checked proves nothing; treating it as absent or valid would let any model through.
    ///
    /// ## Example
    /// A `model.sig` whose `predicateType` is not `https://model_signing/signature/v1.0`, or whose subject digest was edited.
    ///
    /// ## False positives
    /// Bundles from a future OMS version or an unsupported serialization method.
    ///
    /// ## References
    /// - OpenSSF Model Signing (OMS) v1.0: https://github.com/sigstore/model-transparency
    /// - CWE-345: Insufficient Verification of Data Authenticity
    pub static META = SignatureBundleMalformed;
}
