//! DEP014 dormant-release (raised for registry specs, `pypi:…` / `npm:…`, by
//! `assay_deps::registry`; tests there and in `crates/assay/tests/registry_specs.rs`).

declare_rule! {
    /// ## What it does
    /// When `assay scan` fetches a release named by a registry spec (`pypi:NAME==VERSION`,
    /// `npm:NAME@VERSION`), flags it when the project's previous release (the latest
    /// version uploaded before it) is **365 days or more** older. Release times: PyPI the
    /// earliest PEP 700 `upload-time` of the version's files in the PEP 691 JSON simple
    /// API; npm the packument's `time[version]`. The finding belongs to the artifact named
    /// after the spec.
    ///
    /// ## Why it matters
    /// Abandoned projects are what account takeovers target: the maintainer's e-mail
    /// domain expires and is re-registered (the `ctx` PyPI package, May 2022, released
    /// after eight years with code that sent environment variables out), a new
    /// "maintainer" is handed the package (event-stream, 2018), or an old token still
    /// works. Nobody watches a dormant project's releases, and its users' version ranges
    /// accept the new one at once.
    ///
    /// ## Example
    /// ```text
    /// pkg 0.1.2   2014-12-19
    /// pkg 0.2.2   2022-05-14   ← 2703 days after the previous release
    /// ```
    ///
    /// ## False positives
    /// Mature libraries that rarely need a release, and projects revived by their own
    /// maintainers. Severity low: compare the release with the previous one
    /// (`assay diff`) and check who published it.
    ///
    /// ## References
    /// - PEP 691, PEP 700 (`upload-time`)
    /// - npm registry API, packument `time` field
    /// - SANS ISC, "ctx Python library updated with extra features" (May 2022)
    pub static META = DormantRelease;
}
