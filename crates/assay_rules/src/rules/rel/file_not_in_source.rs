//! REL007 file-not-in-source: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// `assay provenance`: a published file that the tagged tree does not have. Packaging
    /// metadata (`PKG-INFO`, `*.dist-info/`, `*.egg-info/`, an `[egg_info]`-only
    /// `setup.cfg`, a version file of assignments only) is expected; autotools and
    /// JavaScript build output (`configure`, `m4/*.m4`, `dist/`) is low, its content judged
    /// by the scan rules; other code is medium.
    ///
    /// ## Why it matters
    /// What is only in the artifact was never reviewed: the xz-utils tarball's `build-to-
    /// host.m4`, a wheel built from a poisoned cache (Ultralytics).
    ///
    /// ## Example
    /// `ultralytics/utils/downloads2.py` in the wheel, absent at tag `v8.3.41`.
    ///
    /// ## False positives
    /// Files a build step generates under another name; vendored copies written at build
    /// time.
    ///
    /// ## References
    /// - xz-utils backdoor (CVE-2024-3094)
    /// - Ultralytics PyPI compromise (2024)
    pub static META = FileNotInSource;
}
