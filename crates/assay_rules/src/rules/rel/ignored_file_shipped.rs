//! REL009 ignored-file-shipped: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// `assay provenance`: a published file that is not in the tagged tree and that the
    /// repository's own `.gitignore` files exclude (matched as git matches them). High for
    /// code, low for generated build output, medium otherwise.
    ///
    /// ## Why it matters
    /// A file the repository ignores never goes through review: xz-utils listed `build-to-
    /// host.m4` in `m4/.gitignore`, and the backdoored macro existed only in the release
    /// tarball.
    ///
    /// ## Example
    /// `m4/build-to-host.m4` shipped in the tarball, ignored by `m4/.gitignore`.
    ///
    /// ## False positives
    /// Autotools tarballs ship ignored generated files (`configure`, `libtool.m4`) by
    /// design: these are low, and their content is what the scan rules judge.
    ///
    /// ## References
    /// - xz-utils backdoor (CVE-2024-3094)
    pub static META = IgnoredFileShipped;
}
