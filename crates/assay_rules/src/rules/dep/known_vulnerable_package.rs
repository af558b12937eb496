//! DEP002 known-vulnerable-package (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Looks up every pinned dependency in the local OSV index and flags versions inside an
    /// affected range of a vulnerability record (`GHSA-`, `PYSEC-`, `RUSTSEC-`, `CVE-`). The
    /// evidence names the record, its aliases and the fixed versions.
    ///
    /// ## Why it matters
    /// Known vulnerabilities in dependencies are the most common exploitable weakness of a
    /// project, and a fixed version is usually one lockfile bump away.
    ///
    /// ## Example
    /// `package-lock.json` pinning `lodash@4.17.20` (GHSA-35jh-r3h4-6jhm, fixed in 4.17.21).
    ///
    /// ## False positives
    /// The vulnerable function may be unused. Severity follows the record's reviewed severity
    /// (GitHub `database_specific.severity`) and is capped at high so that a vulnerability alone
    /// never makes a verdict `malicious`.
    ///
    /// ## References
    /// - OSV schema: https://ossf.github.io/osv-schema/
    /// - CWE-1395: Dependency on Vulnerable Third-Party Component
    pub static META = KnownVulnerablePackage;
}
