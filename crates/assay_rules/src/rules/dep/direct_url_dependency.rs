//! DEP005 direct-url-dependency (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Flags dependencies resolved from a direct URL, a git repository or a local path
    /// (`name @ https://…`, `-e git+…`, `git+ssh://` in `package-lock.json`, a git `source` in
    /// `Cargo.lock`).
    ///
    /// ## Why it matters
    /// Such sources bypass registry advisories and malware takedowns, and may change under the
    /// same reference.
    ///
    /// ## Example
    /// `mylib @ git+https://example.invalid/mylib.git`.
    ///
    /// ## False positives
    /// Internal packages and forks are often installed this way on purpose.
    ///
    /// ## References
    /// - PEP 440 direct references: https://peps.python.org/pep-0440/#direct-references
    pub static META = DirectUrlDependency;
}
