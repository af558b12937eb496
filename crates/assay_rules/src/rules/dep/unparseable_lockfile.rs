//! DEP006 unparseable-lockfile (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Reports a lockfile or manifest that is malformed, not UTF-8 or over a resource
    /// limit, at high severity: the file is at least `suspicious`.
    ///
    /// ## Why it matters
    /// A file assay cannot read is not known to be clean: its dependencies were not
    /// checked, and a gate (`--fail-on suspicious`) must not pass what it could not audit.
    /// An attacker who can make the parser give up (a nesting depth the package manager
    /// accepts but a parser does not) would otherwise hide a known-malicious dependency.
    /// The parsers therefore accept what the ecosystem's own tools accept: JSON values
    /// the audit does not read may nest to any depth within the size bound.
    ///
    /// ## Example
    /// A `package-lock.json` truncated mid-object.
    ///
    /// ## False positives
    /// Formats newer than assay's parser; the evidence names the parse error.
    ///
    /// ## References
    /// - OSV schema: https://ossf.github.io/osv-schema/
    pub static META = UnparseableLockfile;
}
