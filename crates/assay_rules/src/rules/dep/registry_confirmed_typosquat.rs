//! DEP012 registry-confirmed-typosquat (raised by `assay deps --online`; tests in
//! `assay_deps::online` and `crates/assay/tests/deps_online.rs`).

declare_rule! {
    /// ## What it does
    /// With `assay deps --online`, confirms a DEP003 `typosquat-dependency` name with
    /// what the public registry says about it, and reports it at critical severity (the
    /// verdict is `malicious`) when at least one of these holds:
    /// - the project was first published fewer than 90 days ago;
    /// - it has few downloads (crates.io `recent_downloads`, the last 90 days, under
    ///   1,000; PyPI and npm do not publish counts in these documents);
    /// - its description, homepage or repository URL is the imitated project's (the
    ///   imitated project's document is fetched too and compared).
    ///
    /// The name must be a DEP003 match first: evidence alone (a young project) is DEP008.
    /// "A maintainer new to the registry" is not used: none of the three registries'
    /// package documents says when an account was created.
    ///
    /// ## Why it matters
    /// A name one typo from a top package is suspicious; a name one typo from a top
    /// package that appeared last week, that nobody downloads, or that claims to be the
    /// popular project (same description, same repository link) is how typosquatting
    /// campaigns look, and registries remove such uploads within days. Legitimate
    /// look-alike projects are old, downloaded and describe themselves.
    ///
    /// ## Example
    /// ```text
    /// reqeusts==2.32.3   # created 3 days ago, summary and home page copied from requests
    /// ```
    ///
    /// ## False positives
    /// A new legitimate project whose name happens to be one edit from a popular one, or
    /// a fork that kept the original's repository URL. Suppress with a reason.
    ///
    /// ## References
    /// - PyPI JSON API (`info.summary`, `info.home_page`, `info.project_urls`)
    /// - npm registry packument (`description`, `homepage`, `repository`, `time.created`)
    /// - crates.io API `GET /api/v1/crates/{name}` (`crate.created_at`,
    ///   `crate.recent_downloads`, `crate.description`, `crate.repository`)
    pub static META = RegistryConfirmedTyposquat;
}
