//! DEP001 known-malicious-package (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Looks up every pinned dependency (name and exact version) of a lockfile or manifest in
    /// the local OSV index built by `assay db update`, and flags versions affected by an OSV
    /// record whose id starts with `MAL-` (OpenSSF malicious-packages reports).
    ///
    /// ## Why it matters
    /// A `MAL-` record means the published artifact itself is malware (for example LiteLLM
    /// 1.82.7/1.82.8, `MAL-2026-2144`); installing it runs the attacker's code.
    ///
    /// ## Example
    /// `requirements.txt`: `litellm==1.82.7`, `package-lock.json` pinning `event-stream@3.3.6`.
    ///
    /// ## False positives
    /// Rare: the reports are reviewed. A withdrawn record is ignored. Ranges that over-match are
    /// reported upstream.
    ///
    /// ## References
    /// - OSV schema: https://ossf.github.io/osv-schema/
    /// - OpenSSF malicious-packages: https://github.com/ossf/malicious-packages
    pub static META = KnownMaliciousPackage;
}
