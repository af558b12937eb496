//! REL005 dependency-added: raised by `assay diff` / `assay provenance` (crates/assay_release), tested in
//! crates/assay_release and crates/assay/tests/release.rs.

declare_rule! {
    /// ## What it does
    /// Lists dependencies the newer release declares (`Requires-Dist` in core metadata,
    /// `dependencies` and `optionalDependencies` of `package.json`) that the older did not;
    /// high when the new name imitates a popular package (the typosquat model of `PKG010`).
    ///
    /// ## Why it matters
    /// Pulling a malicious package in through a new dependency keeps the release's own code
    /// clean (the `flatmap-stream` dependency added to event-stream 3.3.6).
    ///
    /// ## Example
    /// `Requires-Dist: reqeusts` added in a patch release.
    ///
    /// ## False positives
    /// Ordinary growth: info unless the name imitates another.
    ///
    /// ## References
    /// - event-stream compromise (2018)
    /// - MITRE ATT&CK T1195.001
    pub static META = DependencyAdded;
}
