//! REL002 native-binary-added: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// Flags an ELF, PE or Mach-O file that a release adds when the previous release
    /// shipped no native code at all (`assay diff`).
    ///
    /// ## Why it matters
    /// A pure package that starts carrying machine code deserves a look: a dropped miner or
    /// implant cannot be read as source.
    ///
    /// ## Example
    /// `ultralytics/utils/xmrig` added to a release whose predecessor was pure Python.
    ///
    /// ## False positives
    /// A project that adds its first compiled extension. Medium, never malicious alone.
    ///
    /// ## References
    /// - Ultralytics PyPI compromise (2024)
    /// - MITRE ATT&CK T1195.002
    pub static META = NativeBinaryAdded;
}
