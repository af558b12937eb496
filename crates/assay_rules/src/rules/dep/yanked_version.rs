//! DEP011 yanked-version (raised by `assay deps --online`; tests in `assay_deps::online`
//! and `crates/assay/tests/deps_online.rs`).

declare_rule! {
    /// ## What it does
    /// With `assay deps --online`, flags a dependency pinned to a version its registry
    /// marks as yanked: crates.io `versions[].yanked`, PyPI `releases[v][].yanked` (PEP 592;
    /// a release counts as yanked when all its files are).
    ///
    /// ## Why it matters
    /// Publishers yank a version they want nobody to install any more — because it is
    /// broken, vulnerable, or was published by someone who should not have (a hijacked
    /// token is usually followed by a yank). Cargo and pip no longer pick a yanked
    /// version for a new resolution but keep one that a lockfile already pins, so a
    /// lockfile written before the yank goes on installing it.
    ///
    /// ## Example
    /// ```text
    /// # Cargo.lock
    /// [[package]]
    /// name = "some-crate"
    /// version = "1.4.2"   # yanked on crates.io after a bad release
    /// ```
    ///
    /// ## False positives
    /// Versions yanked for reasons that do not affect you (a build break on another
    /// platform). Update the lockfile (`cargo update -p NAME`), or suppress with a reason.
    ///
    /// ## References
    /// - crates.io API `GET /api/v1/crates/{name}`, `versions[].yanked`
    /// - PEP 592 (yanked files on the simple index); PyPI JSON API `releases[v][].yanked`
    /// - The Cargo Book, `cargo yank`
    pub static META = YankedVersion;
}
