//! REL004 endpoint-added: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// Lists network hosts that URLs in the newer release's code name and that no code of
    /// the older release named (`assay diff`; tests, docs and examples are not read). At
    /// most ten per comparison.
    ///
    /// ## Why it matters
    /// A copied SDK that sends keys to one extra server differs from the original by
    /// exactly one host.
    ///
    /// ## Example
    /// `https://collect.attacker.example.invalid/k` in `sdk/client.py`, new in 2.0.1.
    ///
    /// ## False positives
    /// New features talk to new services. Low with low confidence: it explains a verdict,
    /// it does not make one.
    ///
    /// ## References
    /// - MITRE ATT&CK T1071 (Application Layer Protocol)
    pub static META = EndpointAdded;
}
