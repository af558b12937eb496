//! REL012 wheel-differs-from-sdist: raised by `assay provenance` (crates/assay_release),
//! tested in crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// `assay provenance` of a release's files (a directory holding the sdist and its
    /// wheels, as `pypi:NAME==VERSION` fetches them): every code file of each wheel is
    /// compared with the same module in the sdist (under the sdist's layout, `src/` or
    /// not). A code file only in the wheel, or with other content, is reported, unless
    /// every differing line names a version; a `.pth` or `sitecustomize` only in the wheel
    /// is high. Packaging metadata (`*.dist-info/`) and compiled extension modules are not
    /// compared.
    ///
    /// ## Why it matters
    /// Reviewers and tools read the sdist or the repository; pip installs the wheel. A
    /// payload that exists only in the wheel — a poisoned build cache (Ultralytics,
    /// 2024), a wheel uploaded by hand with a stolen token — is missed by everyone who
    /// reads the source.
    ///
    /// ## Example
    /// `ultralytics/utils/downloads.py` in the wheel has a download-and-run block the
    /// sdist's `ultralytics/utils/downloads.py` does not.
    ///
    /// ## False positives
    /// Builds that generate code (Cython's `.py` shims, `_version.py` writers, vendoring
    /// tools that rewrite imports). The introduced scan findings tell whether the
    /// difference does anything.
    ///
    /// ## References
    /// - Ultralytics PyPI compromise (2024)
    /// - MITRE ATT&CK T1195.002
    pub static META = WheelDiffersFromSdist;
}
