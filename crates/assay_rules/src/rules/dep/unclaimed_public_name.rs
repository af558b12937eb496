//! DEP010 unclaimed-public-name (raised by `assay deps --online`; tests in
//! `assay_deps::online` and `crates/assay/tests/deps_online.rs`).

declare_rule! {
    /// ## What it does
    /// With `assay deps --online`, flags a dependency whose name does not exist on the
    /// public registry (PyPI JSON API or npm registry answers 404, or every npm version
    /// is unpublished). The evidence names the file's own indexes (`--index-url`,
    /// `--extra-index-url`) when it has any. Scoped npm names (`@scope/name`) are not
    /// flagged: a scope belongs to an npm user or organisation, which a 404 does not
    /// show.
    ///
    /// ## Why it matters
    /// A name that only a private or extra index serves can be registered on the public
    /// registry by anyone; an installer that consults both (pip with
    /// `--extra-index-url`, a misconfigured mirror, a developer without the private
    /// index configured) will take the public upload — the dependency confusion that
    /// Alex Birsan demonstrated against Apple and Microsoft in 2021. A public name that
    /// disappeared was often removed as malicious, and may be re-registered.
    ///
    /// ## Example
    /// ```text
    /// --extra-index-url https://pkgs.example.invalid/simple
    /// acme-internal-utils==1.4.0
    /// ```
    ///
    /// ## False positives
    /// Private packages whose names are already protected (registered as a placeholder
    /// on the public registry count as existing), and installers pinned to one private
    /// index that proxies the public one with private names first.
    ///
    /// ## References
    /// - Alex Birsan, "Dependency Confusion: How I Hacked Into Apple, Microsoft and Dozens of Other Companies" (2021)
    /// - PyPI JSON API; npm registry API
    pub static META = UnclaimedPublicName;
}
