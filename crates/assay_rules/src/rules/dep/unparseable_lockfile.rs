//! DEP006 unparseable-lockfile (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Reports a lockfile or manifest that is malformed, not UTF-8 or over a resource limit.
    ///
    /// ## Why it matters
    /// A file assay cannot read is not known to be clean: its dependencies were not checked.
    ///
    /// ## Example
    /// A `package-lock.json` truncated mid-object.
    ///
    /// ## False positives
    /// Formats newer than assay's parser; the evidence names the parse error.
    ///
    /// ## References
    /// - OSV schema: https://ossf.github.io/osv-schema/
    pub static META = {
        code: "DEP006",
        name: "unparseable-lockfile",
        family: Dep,
        summary: "A lockfile or manifest could not be read",
        severity: Medium,
        confidence: High,
        targets: [],
        cwe: None,
        attack: None,
    }
}
