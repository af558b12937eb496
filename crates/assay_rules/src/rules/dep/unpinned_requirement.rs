//! DEP004 unpinned-requirement (raised by `assay deps`; fixtures tested in `assay_deps`).

declare_rule! {
    /// ## What it does
    /// Flags entries of requirements files and `pyproject.toml` that are not pinned with `==`
    /// to one version, and entries of requirements files that pin but carry no `--hash` while
    /// other entries of the same file do (pip's hash-checking mode then fails open only for them).
    ///
    /// ## Why it matters
    /// An unpinned requirement installs whatever version is newest at install time, including a
    /// malicious release published minutes ago.
    ///
    /// ## Example
    /// `requests>=2`, `numpy`.
    ///
    /// ## False positives
    /// Libraries declare ranges on purpose; pin in the application's lockfile instead.
    ///
    /// ## References
    /// - pip secure installs: https://pip.pypa.io/en/stable/topics/secure-installs/
    pub static META = UnpinnedRequirement;
}
